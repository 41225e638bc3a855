"""Australian states (with Wisenet-like StateIds), suburbs with their postcodes, streets, phone area codes."""

from __future__ import annotations

# code: (StateId, long name, population weight, landline area code, "suburb postcode; ...")
STATES: dict[str, tuple[int, str, float, str, str]] = {
    "NSW": (1, "New South Wales", 0.31, "02",
            "Parramatta 2150; Blacktown 2148; Penrith 2750; Liverpool 2170; Bankstown 2200; Chatswood 2067; "
            "Hornsby 2077; Manly 2095; Bondi 2026; Newtown 2042; Campbelltown 2560; Wollongong 2500; "
            "Newcastle 2300; Maitland 2320; Gosford 2250; Wyong 2259; Orange 2800; Bathurst 2795; Dubbo 2830; "
            "Wagga Wagga 2650; Tamworth 2340; Armidale 2350; Coffs Harbour 2450; Port Macquarie 2444; "
            "Lismore 2480; Albury 2640; Queanbeyan 2620; Castle Hill 2154; Cabramatta 2166; Auburn 2144; "
            "Fairfield 2165; Hurstville 2220; Kogarah 2217; Ryde 2112; Epping 2121; Strathfield 2135; "
            "Marrickville 2204; Mount Druitt 2770; Kellyville 2155; Granville 2142"),
    "VIC": (2, "Victoria", 0.26, "03",
            "Melbourne 3000; Carlton 3053; Fitzroy 3065; Richmond 3121; St Kilda 3182; Footscray 3011; "
            "Sunshine 3020; Werribee 3030; Dandenong 3175; Frankston 3199; Box Hill 3128; Glen Waverley 3150; "
            "Ringwood 3134; Preston 3072; Broadmeadows 3047; Craigieburn 3064; Geelong 3220; Ballarat 3350; "
            "Bendigo 3550; Shepparton 3630; Mildura 3500; Traralgon 3844; Warrnambool 3280; Wodonga 3690; "
            "Pakenham 3810; Cranbourne 3977; Point Cook 3030; Tarneit 3029; Springvale 3171; Brunswick 3056; "
            "Reservoir 3073; Hoppers Crossing 3029; Mill Park 3082; Berwick 3806"),
    "QLD": (3, "Queensland", 0.20, "07",
            "Brisbane City 4000; Fortitude Valley 4006; South Brisbane 4101; Toowong 4066; Chermside 4032; "
            "Indooroopilly 4068; Sunnybank 4109; Logan Central 4114; Ipswich 4305; Springfield Lakes 4300; "
            "Redcliffe 4020; Caboolture 4510; Southport 4215; Surfers Paradise 4217; Robina 4226; "
            "Maroochydore 4558; Caloundra 4551; Nambour 4560; Toowoomba 4350; Bundaberg 4670; "
            "Rockhampton 4700; Mackay 4740; Townsville 4810; Cairns 4870; Gladstone 4680; Hervey Bay 4655; "
            "Mount Isa 4825; Strathpine 4500; Capalaba 4157; Cleveland 4163; Nerang 4211; Beenleigh 4207"),
    "SA": (4, "South Australia", 0.07, "08",
           "Adelaide 5000; North Adelaide 5006; Glenelg 5045; Norwood 5067; Prospect 5082; Salisbury 5108; "
           "Elizabeth 5112; Modbury 5092; Marion 5043; Noarlunga Centre 5168; Morphett Vale 5162; "
           "Port Adelaide 5015; Mount Barker 5251; Gawler 5118; Murray Bridge 5253; Mount Gambier 5290; "
           "Whyalla 5600; Port Augusta 5700; Port Lincoln 5606; Victor Harbor 5211; Mawson Lakes 5095; "
           "Unley 5061"),
    "WA": (5, "Western Australia", 0.11, "08",
           "Perth 6000; Northbridge 6003; Fremantle 6160; Subiaco 6008; Joondalup 6027; Midland 6056; "
           "Armadale 6112; Rockingham 6168; Mandurah 6210; Cannington 6107; Morley 6062; Scarborough 6019; "
           "Victoria Park 6100; Baldivis 6171; Ellenbrook 6069; Bunbury 6230; Busselton 6280; "
           "Geraldton 6530; Kalgoorlie 6430; Albany 6330; Karratha 6714; Port Hedland 6721; Broome 6725; "
           "Canning Vale 6155"),
    "TAS": (6, "Tasmania", 0.02, "03",
            "Hobart 7000; Sandy Bay 7005; Glenorchy 7010; Kingston 7050; Bellerive 7018; Launceston 7250; "
            "Devonport 7310; Burnie 7320; Ulverstone 7315; New Norfolk 7140; Sorell 7172; George Town 7253; "
            "Moonah 7009; Legana 7277; Huonville 7109"),
    "NT": (7, "Northern Territory", 0.01, "08",
           "Darwin 0800; Casuarina 0810; Palmerston 0830; Nightcliff 0810; Stuart Park 0820; Parap 0820; "
           "Katherine 0850; Alice Springs 0870; Tennant Creek 0860; Humpty Doo 0836; Nhulunbuy 0880"),
    "ACT": (8, "Australian Capital Territory", 0.02, "02",
            "Canberra 2601; Belconnen 2617; Bruce 2617; Gungahlin 2912; Woden 2606; Phillip 2606; "
            "Tuggeranong 2900; Greenway 2900; Kambah 2902; Braddon 2612; Dickson 2602; Fyshwick 2609; "
            "Weston 2611; Ngunnawal 2913; Franklin 2913"),
}

# An "overseas" entry as Wisenet's state combo has one for learners living abroad.
OVERSEAS = (9, "OVS", "Overseas", "Overseas")

STREET_NAMES = (
    "High Main Station Church Victoria George King Queen Elizabeth William Park Bridge Hill Forest Ocean "
    "Beach Railway Pacific Princes Bay Anzac Wattle Banksia Acacia Jacaranda Grevillea Waratah Boronia "
    "Kookaburra Lyrebird Eucalypt Albert Edward Charles Macquarie Hume Lachlan Murray Darling Flinders "
    "Cook Phillip Hunter Bligh Collins Bourke Lonsdale Stirling Hay Pitt Oxford Cambridge Windsor York "
    "Gladstone Wellington Nelson Mitchell Sturt Light Grey Kent Darling Riverview Seaview Hillcrest "
    "Greenhill Sunnyside Fairway Highfield Ridge Valley Creek Rosewood Ironbark Bottlebrush Coral Pine"
).split()

# (full suffix, abbreviation, weight)
STREET_SUFFIXES = (
    ("Street", "St", 0.38), ("Road", "Rd", 0.18), ("Avenue", "Ave", 0.1), ("Drive", "Dr", 0.08),
    ("Court", "Ct", 0.05), ("Place", "Pl", 0.05), ("Crescent", "Cres", 0.05), ("Parade", "Pde", 0.03),
    ("Close", "Cl", 0.03), ("Way", "Way", 0.02), ("Lane", "Ln", 0.01), ("Terrace", "Tce", 0.01),
    ("Circuit", "Cct", 0.005), ("Grove", "Gr", 0.005),
)


def suburbs(code: str) -> list[tuple[str, str]]:
    """(suburb, postcode) pairs of one state."""
    return [(s.rsplit(" ", 1)[0], s.rsplit(" ", 1)[1]) for s in (p.strip() for p in STATES[code][4].split(";"))]
