"""Words for employers, suppliers, email domains, courses and the training organisation's own name."""

from __future__ import annotations

TRADE_PHRASES = (
    "Plumbing", "Electrical", "Carpentry", "Building", "Landscaping", "Roofing", "Painting", "Tiling",
    "Concreting", "Cabinets", "Hair Studio", "Beauty", "Hospitality", "Catering", "Aged Care", "Childcare",
    "Disability Services", "Transport", "Logistics", "Civil", "Mechanical", "Automotive", "Fitness",
    "Security", "Cleaning", "Accounting", "Dental", "Pharmacy", "Vet Clinic", "Early Learning",
    "Home Care", "Earthmoving", "Air Conditioning", "Signs", "Print", "Cafe", "Bakery", "Motors",
)
COMPANY_WORDS = (
    "Acme Summit Coastal Southern Northern Eastern Western Harbour Bayside Valley Apex Pioneer Premier "
    "Unity Horizon Evergreen Redgum Blue Gum Golden Wattle Red Earth Outback Metro Capital Sunrise "
    "Sunset Anchor Keystone Swift Reliable Allied United Precision Trident Crown Phoenix Sterling"
).split(" ")
COMPANY_SUFFIXES = ("Pty Ltd", "Pty Ltd", "Pty Ltd", "Pty. Ltd.", "P/L", "Group", "Services", "& Co", "")
SUPPLIERS = (
    "Officeworks", "Telstra Corporation Ltd", "Optus Business", "AGL Energy", "Origin Energy",
    "Australia Post", "Bunnings Group Ltd", "JB Hi-Fi Solutions", "Canva Pty Ltd", "Zoom Video Communications",
    "Microsoft Pty Ltd", "Google Australia Pty Ltd", "ASQA", "Training.gov.au Services", "Quest Apartments",
    "Qantas Airways", "Virgin Australia", "Coles Supermarkets", "Woolworths Group", "Ampol", "Sydney Water",
    "Dept of Education", "WorkSafe", "ATO", "Commonwealth Bank", "Westpac Banking Corporation",
)

PERSONAL_DOMAINS = (
    ("gmail.com", 0.42), ("outlook.com", 0.08), ("hotmail.com", 0.1), ("yahoo.com.au", 0.05),
    ("bigpond.com", 0.06), ("icloud.com", 0.07), ("live.com.au", 0.03), ("optusnet.com.au", 0.02),
    ("iinet.net.au", 0.015), ("y7mail.com", 0.01), ("hotmail.com.au", 0.02), ("outlook.com.au", 0.02),
    ("bigpond.net.au", 0.01), ("internode.on.net", 0.005),
)
SCHOOL_DOMAINS = {
    "NSW": "education.nsw.gov.au", "VIC": "schools.vic.edu.au", "QLD": "eq.edu.au", "SA": "schools.sa.edu.au",
    "WA": "student.education.wa.edu.au", "TAS": "education.tas.gov.au", "NT": "education.nt.gov.au",
    "ACT": "ed.act.edu.au",
}

# (description, unit price ex GST in cents)
COURSE_LINES = (
    ("CHC33021 Certificate III in Individual Support - tuition", 185000),
    ("CHC30121 Certificate III in Early Childhood Education and Care - tuition", 210000),
    ("BSB50120 Diploma of Business - tuition", 320000),
    ("BSB40120 Certificate IV in Business - tuition", 240000),
    ("SIT30821 Certificate III in Commercial Cookery - tuition", 275000),
    ("CPC30220 Certificate III in Carpentry - stage fee", 150000),
    ("TAE40122 Certificate IV in Training and Assessment - tuition", 265000),
    ("HLT54121 Diploma of Nursing - semester fee", 450000),
    ("CHC43015 Certificate IV in Ageing Support - tuition", 230000),
    ("HLTAID011 Provide First Aid", 12900),
    ("HLTAID009 Provide cardiopulmonary resuscitation", 5900),
    ("Enrolment fee", 25000),
    ("Resource and materials fee", 18000),
    ("RPL assessment", 95000),
    ("Uniform and kit", 14500),
    ("Late withdrawal fee", 20000),
    ("Re-assessment fee", 8500),
    ("Instalment - payment plan", 60000),
)

ORG_FIRST = (
    "Southern Cross", "Bright Futures", "Harbourside", "Skillpath", "Coastline", "Redgum", "Bluegum",
    "Pinnacle", "Horizon", "Waratah", "Summit", "Riverlands", "Outback", "Metro", "Capital", "Ironbark",
)
ORG_SECOND = (
    "Training", "Skills Institute", "College", "Education", "Training Academy", "Career College",
    "Vocational Institute", "Learning Group",
)
