"""wxsync: clean up Xero after a training organisation connects Wisenet.

The library behind the ordered notebooks: load Xero contacts and Wisenet learners, find the old
contacts that duplicate Wisenet-generated ones, merge them into the Wisenet contact (through the API
where Xero allows it, through guided links to Xero's own merge otherwise), verify every outcome and
export CSV evidence. `wxsync.sandbox` emulates Xero and Wisenet locally for the demo and the tests.
"""

__version__ = "0.1.0"
