"""Turn people into records shaped exactly like Wisenet ``LearnerAu`` Data and Xero Contacts."""

from __future__ import annotations

import random
from typing import Any

from .data import places as P
from .gen_common import Ctx, Picker
from .gen_people import Person

Record = dict[str, Any]

MOBILE_STYLES = ("spaced", "plain", "e164", "e164_spaced", "intl_digits", "no_zero", "dashed")
_MOBILE_STYLE = Picker(MOBILE_STYLES, (0.36, 0.3, 0.14, 0.1, 0.03, 0.03, 0.04))


def format_mobile(rng: random.Random, digits: str, style: str | None = None) -> str:
    """Write national mobile digits ("0412345678") the way people and systems store them."""
    if not digits:
        return ""
    style = style or _MOBILE_STYLE(rng)
    d = digits[1:]  # without the trunk zero
    if style == "spaced":
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style == "e164":
        return "+61" + d
    if style == "e164_spaced":
        return f"+61 {d[:3]} {d[3:6]} {d[6:]}"
    if style == "intl_digits":
        return "61" + d
    if style == "no_zero":
        return d
    if style == "dashed":
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    return digits


def format_landline(digits: str) -> tuple[str, str]:
    """(area code, local number) of a landline, as Xero stores it in PhoneAreaCode/PhoneNumber."""
    return digits[:2], f"{digits[2:6]} {digits[6:]}"


def street_line(p: Person, *, abbreviate: bool = False, unit_slash: bool = True) -> str:
    """First address line: "4/12 High Street", "Unit 4, 12 High St"."""
    suffix = p["suffix_abbr"] if abbreviate else p["suffix"]
    core = f"{p['street_no']} {p['street']} {suffix}"
    if p["unit"]:
        return f"{p['unit']}/{core}" if unit_slash else f"Unit {p['unit']}, {core}"
    return core


def learner_record(
    ctx: Ctx, p: Person, *, learner_id: int, number: str, active: bool, sync: bool, modified: str,
    mobile_style: str,
) -> Record:
    """The ``Data`` part of a Wisenet LearnerAu item for person ``p``."""
    rng = ctx.rng
    state_id = P.STATES[p["state"]][0] if p["state"] else None
    line1 = street_line(p) if p["street"] else ""
    street = {
        "BuildingName": "", "UnitDetails": p["unit"], "StreetNumber": p["street_no"], "StreetName":
        f"{p['street']} {p['suffix']}" if p["street"] else "", "ExtraAddressLine": "",
        "SuburbTownCity": p["suburb"], "StateId": state_id, "Postcode": p["postcode"], "CountryId": 1101,
        "StreetAddress": line1,
    }
    postal = dict(street, PoBox="", PostalAddress=line1)
    postal.pop("StreetAddress")
    if p.get("po_box"):
        postal.update(UnitDetails="", StreetNumber="", StreetName="", PoBox=p["po_box"],
                      PostalAddress=f"PO Box {p['po_box']}")
    usi = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))
    return {
        "LearnerId": learner_id,
        "LearnerGuid": ctx.uuid(),
        "LastModifiedTimeStamp": modified,
        "Personal": {
            "IsActive": active,
            "Title": "",
            "FirstName": p["first"],
            "MiddleName": p["middle"],
            "LastName": p["last"],
            "Suffix": "",
            "PreferredNamed": p["preferred"],
            "PreviousName": p.get("previous", ""),
            "DateOfBirth": p["dob"].isoformat(),
            "GenderId": 1 if p["gender"] == "M" else 2,
            "UniqueStudentIdentifier": usi if rng.random() < 0.9 else "",
            "LearnerNumber": number,
            "LearnerExportNumber": "",
            "LearnerAlt1Number": "",
            "LearnerAlt2Number": "",
            "SyncToXero": sync,
            "PhoneNumbers": {
                "PhoneHome": format_landline(p["home"])[0] + " " + format_landline(p["home"])[1] if p["home"] else "",
                "PhoneWork": "", "FaxHome": "", "FaxWork": "",
                "Mobile": format_mobile(rng, p["mobile"], mobile_style),
            },
            "EmailAddresses": {"Email": p["email"], "AlternativeEmail": p.get("alt_email", "")},
            "StreetAddress": street,
            "PostalAddress": postal,
        },
    }


def phones(default: tuple[str, str, str] = ("", "", ""), mobile: tuple[str, str, str] = ("", "", ""),
           ddi: tuple[str, str, str] = ("", "", "")) -> list[Record]:
    """Xero's four phone slots; each tuple is (PhoneNumber, PhoneAreaCode, PhoneCountryCode)."""
    out = []
    for kind, (number, area, country) in (("DEFAULT", default), ("DDI", ddi), ("FAX", ("", "", "")),
                                          ("MOBILE", mobile)):
        slot: Record = {"PhoneType": kind}
        if number:
            slot["PhoneNumber"] = number
            if area:
                slot["PhoneAreaCode"] = area
            if country:
                slot["PhoneCountryCode"] = country
        out.append(slot)
    return out


def addresses(street: Record | None = None, pobox: Record | None = None) -> list[Record]:
    """Xero's two address slots (POBOX, STREET); each given dict has AddressLine1, City, Region, ..."""
    out = []
    for kind, addr in (("POBOX", pobox), ("STREET", street)):
        slot: Record = {"AddressType": kind}
        if addr:
            slot.update({k: v for k, v in addr.items() if v})
        out.append(slot)
    return out


def contact_record(
    ctx: Ctx, *, name: str, first: str = "", last: str = "", email: str = "",
    phone_slots: list[Record] | None = None, address_slots: list[Record] | None = None,
    status: str = "ACTIVE", contact_number: str = "", account_number: str = "", updated: str,
    supplier: bool = False,
) -> Record:
    """A Xero Contact with Xero's field names (empty optional fields left out, as Xero does)."""
    c: Record = {"ContactID": ctx.uuid()}
    if contact_number:
        c["ContactNumber"] = contact_number
    if account_number:
        c["AccountNumber"] = account_number
    c["ContactStatus"] = status
    c["Name"] = name
    if first:
        c["FirstName"] = first
    if last:
        c["LastName"] = last
    if email:
        c["EmailAddress"] = email
    c["Addresses"] = address_slots if address_slots is not None else addresses()
    c["Phones"] = phone_slots if phone_slots is not None else phones()
    c["UpdatedDateUTC"] = updated
    c["IsSupplier"] = supplier
    c["IsCustomer"] = False
    c["ContactGroups"] = []
    c["ContactPersons"] = []
    c["HasAttachments"] = False
    c["HasValidationErrors"] = False
    return c


def wisenet_address(p: Person) -> Record:
    """The street address as Wisenet sends it to Xero."""
    return {"AddressLine1": street_line(p), "City": p["suburb"], "Region": p["state"],
            "PostalCode": p["postcode"], "Country": "Australia"}
