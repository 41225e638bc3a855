"""Given names and surnames common in Australia, grouped by background, most common first.

Each group is (weight, female given names, male given names, surnames). The generator picks a group,
then a name with a rank-based (Zipf-like) weight, so "Smith" and "Nguyen" are frequent and rare names rare.
"""

from __future__ import annotations

ANGLO = (
    0.62,
    "Olivia Charlotte Amelia Isla Mia Ava Grace Chloe Emily Sophie Ella Ruby Jessica Sarah Emma Hannah "
    "Lily Zoe Matilda Georgia Jasmine Lauren Rebecca Kate Katherine Elizabeth Jennifer Michelle Anna "
    "Rachel Nicole Melissa Amanda Samantha Stephanie Natalie Laura Megan Kimberley Tahlia Brooke Alyssa "
    "Caitlin Courtney Bethany Danielle Kayla Madison Paige Jade Amy Renee Kylie Leanne Karen Susan "
    "Margaret Patricia Deborah Julie Tracey Christine Joanne Alice Victoria Abigail Madeleine Scarlett "
    "Willow Holly Phoebe Eliza Annabelle Layla Maya Ivy Stella Jacqueline Josephine Catherine Rose "
    "Heather Claire Fiona Natasha Vanessa Tanya Belinda Narelle Sharon Lisa Chelsea Erin Shannon Tegan "
    "Bianca Kirsty Rhiannon Teagan Mikayla Alexandra Isabella Sienna Harper Evie Frankie Charlie",
    "Oliver Noah William Jack Leo Henry Thomas Charlie James Lucas Ethan Liam Lachlan Mason Harrison "
    "Hudson Cooper Archie Samuel Benjamin Joshua Daniel Matthew Michael Christopher Andrew David Nathan "
    "Ryan Luke Jacob Dylan Blake Jayden Brodie Mitchell Bradley Jordan Tyler Riley Kyle Connor Callum "
    "Patrick Sean Jason Scott Adam Mark Paul Peter John Robert Richard Stephen Anthony Craig Shane "
    "Darren Brett Wayne Glenn Troy Aaron Jake Max Oscar Alexander Isaac Hamish Angus Fraser Declan "
    "Zachary Toby Joel Timothy Kevin Gregory Jeffrey Kenneth Dean Rhys Edward Nicholas Jonathan Simon "
    "Phillip Gary Trent Corey Jarrod Lincoln Flynn Jackson Hunter Xavier Kieran Bailey Jesse Campbell",
    "Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson Thomas Walker "
    "Harris Ryan Robinson Kelly King Davis Wright Evans Roberts Green Hall Wood Jackson Clarke Lewis "
    "James Phillips Mitchell Turner Campbell Murphy Young Edwards Baker Hill Scott Cooper Stewart Morris "
    "Ward Moore Allen Watson Hughes Harrison Parker Bennett Collins Murray Clark Cook Price Bell Graham "
    "Marshall Shaw Richardson Lloyd Cameron Kennedy Hunt Reid Morgan O'Brien O'Connor McDonald McKenzie "
    "Fraser Hamilton Sullivan Chapman Gray Ross Hunter Mills Webb Simpson Knight Grant Stevens Barnes "
    "Russell Matthews Gibson Fletcher Burns Holmes Butler Watts Lawrence Dunn Wallace Pearce Payne "
    "Jenkins Fisher Saunders Palmer Carter Byrne Doyle Walsh Quinn Ellis Rogers Reynolds Wells Dawson "
    "Bailey Cox Stone Marsh Ford Day Fox Hart Berry Owen Lane Spencer MacLeod Sinclair Docherty Gallagher "
    "Fitzgerald Brennan Kavanagh Donnelly Harvey Hayes Jensen Larsen Schmidt Becker Vandenberg",
)

VIETNAMESE = (
    0.07,
    "Linh Anh Huong Hoa Trang Ngoc Phuong Thao Vy Mai Lan Thuy Hanh Nhung Duyen Hien Yen Tien",
    "Minh Thanh Tuan Duc Quang Hieu Khanh Long Nam Bao Hung Dung Hai Son Vinh Phuc Trung Khoa",
    "Nguyen Tran Le Pham Huynh Hoang Phan Vu Vo Dang Bui Do Ngo Duong Ly Truong Dinh Lam",
)

CHINESE = (
    0.08,
    "Jing Xin Li Yan Hui Ling Mei Yu Jia Yi Xiao Fang Qing Wen Jenny Amy Grace Cindy Vivian Tiffany",
    "Wei Ming Jun Lei Hao Chen Jian Tao Bo Yong Kevin Jason Eric Vincent Raymond Kelvin Alan Tony",
    "Wang Li Zhang Chen Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Lin Guo He Lee Wong Chan Cheung "
    "Lam Ng Ho Tan Lim Leung Chow Yip Tang Cheng Liang",
)

INDIAN = (
    0.08,
    "Priya Anjali Pooja Neha Divya Kavya Shreya Harpreet Gurpreet Manpreet Jaspreet Simran Navneet "
    "Ananya Aditi Sneha Meera Lakshmi Deepika Ritu",
    "Aarav Rohan Arjun Rahul Vikram Sanjay Amit Ravi Deepak Karan Navdeep Sandeep Gurjit Rajesh Suresh "
    "Anil Vivek Nikhil Akash Manish",
    "Singh Kaur Sharma Patel Kumar Gupta Shah Reddy Rao Iyer Nair Mehta Joshi Verma Agarwal Gill Sandhu "
    "Dhillon Grewal Chopra Malhotra Bhatt Desai Pillai Menon",
)

ARABIC = (
    0.04,
    "Fatima Aisha Mariam Zainab Layla Noor Sara Rania Yasmin Huda Leila Amira Salma Nadia",
    "Mohammed Muhammad Ahmed Ali Omar Hassan Hussein Khaled Mustafa Youssef Bilal Ibrahim Karim Tariq",
    "Ahmed Ali Hassan Hussein Khoury Haddad Nasser Saleh Mansour Ibrahim Abdullah Rahman Karim El-Masri "
    "Chahine Farah Hamdan Issa Najjar Saad",
)

GREEK = (
    0.03,
    "Maria Eleni Sophia Katerina Despina Vasiliki Angeliki Anastasia Georgia Dimitra Irene Helen",
    "George Con Nick Jim Peter Stavros Christos Theo Dimitri Kostas Andreas Spiro Steve Angelo",
    "Papadopoulos Nikolaidis Georgiou Dimitriou Konstantinidis Pappas Karagiannis Vlahos Christodoulou "
    "Antoniou Stavropoulos Kyriakou Makris Katsaros Alexiou",
)

ITALIAN = (
    0.04,
    "Giulia Francesca Chiara Sofia Rosa Carmela Lucia Angela Teresa Gina Alessia Daniela Antonella",
    "Giuseppe Giovanni Marco Luca Antonio Francesco Alessandro Salvatore Vincenzo Domenico Tony Frank "
    "Joe Sam Carlo Mario",
    "Rossi Russo Romano Bianchi Esposito Ricci Marino Greco Bruno Gallo Conti De Luca Costa Mancini "
    "Lombardi Moretti Barbaro Caruso Ferrari Colombo Santoro Fontana",
)

FILIPINO = (
    0.04,
    "Maria Angelica Jasmine Kristine Cristina Rowena Joy Mary Grace Princess Jennifer Rhea Lovely Aileen",
    "Jose Juan Mark Jerome Rodel Marvin Carlo Jayson Christian Ronald Romeo Reynaldo Arnel Ramon",
    "Santos Reyes Cruz Bautista Garcia Mendoza Ramos Dela Cruz Aquino Villanueva Fernandez Castillo "
    "Gonzales De Guzman Torres Flores Rivera Navarro Pascual",
)

GROUPS = (ANGLO, VIETNAMESE, CHINESE, INDIAN, ARABIC, GREEK, ITALIAN, FILIPINO)

# Multi-word surnames in the lists above (kept together when splitting on spaces).
MULTIWORD_SURNAMES = ("De Luca", "Dela Cruz", "De Guzman")
MULTIWORD_GIVEN = ("Mary Grace",)

# Names that are written with and without diacritics: (with, without).
DIACRITIC_GIVEN = (
    ("Zoë", "Zoe"), ("Chloé", "Chloe"), ("Renée", "Renee"), ("José", "Jose"), ("André", "Andre"),
    ("Noël", "Noel"), ("Léa", "Lea"), ("Amélie", "Amelie"), ("Sofía", "Sofia"), ("Inés", "Ines"),
    ("Björn", "Bjorn"), ("Zoé", "Zoe"), ("Jérôme", "Jerome"), ("Hélène", "Helene"),
)
DIACRITIC_SURNAMES = (
    ("Müller", "Muller"), ("Núñez", "Nunez"), ("García", "Garcia"), ("Pérez", "Perez"),
    ("Schröder", "Schroder"), ("Gómez", "Gomez"), ("Søren", "Soren"), ("Lefèvre", "Lefevre"),
    ("Jiménez", "Jimenez"), ("Kovačević", "Kovacevic"), ("Nowakowski", "Nowakowski"),
)

# Given names that a different person could have and that look one letter or two away.
NEAR_GIVEN = (
    ("Michael", "Michelle"), ("Anna", "Hanna"), ("Daniel", "Danielle"), ("Paul", "Paula"),
    ("Christopher", "Christine"), ("Adrian", "Adriana"), ("Julian", "Julia"), ("Gabriel", "Gabrielle"),
    ("Chris", "Kris"), ("Jon", "Joan"), ("Mark", "Marta"), ("Sam", "Pam"), ("Ryan", "Bryan"),
    ("Liam", "Leah"), ("Jesse", "Jessie"), ("Dean", "Dana"), ("Eric", "Erica"), ("Alan", "Alana"),
    ("Linh", "Lin"), ("Minh", "Mia"), ("Priya", "Pia"), ("Ali", "Alia"), ("Nick", "Nicki"),
)
