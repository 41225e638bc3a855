"""Word lists the demo generator draws from (names, places, businesses, courses), written for wxsync."""
