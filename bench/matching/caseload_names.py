"""Name lists of the caseload population, most common first (a list's order is its rank).

Written for HBM from general knowledge of the names common in each country (no list was
copied, no frequency table exists behind them): the rank order is a plausible one, and the
generator turns ranks into Zipf-like frequencies. Spellings are the usual Latin ones of each
country (``Mohammad`` in Afghanistan, ``Mohamed`` in Sudan, ``Muhammad`` in Nigeria).
"""

from __future__ import annotations


def _l(text: str) -> tuple[str, ...]:
    return tuple(n.replace("_", " ") for n in text.split())


# country -> (male given names, female given names, family or tribal names)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "AFG": (
        _l(
            "Mohammad Ahmad Abdul_Rahman Ali Abdullah Gul Hamid Noor Rahim Karim Najib Farid "
            "Sayed Wahid Habib Jawad Hussain Omar Yousuf Bashir Nasir Zabihullah Rahmatullah "
            "Hekmatullah Naqibullah Samiullah Ghulam Shafiq Rafiq Qasim Jamal Mansoor Wais Fawad "
            "Idris Matiullah Aziz Nazir Rashid Khalil Zia Sharif Haroon Mirwais Ajmal Asadullah "
            "Ehsan Hamidullah Javed Masood Sohrab Tamim Abdul_Ghani Abdul_Qadir Abdul_Wahab"
        ),
        _l(
            "Fatima Zahra Maryam Shabnam Nadia Farzana Parwana Soraya Khadija Aisha Halima "
            "Malalai Marzia Nilofar Roya Sima Laila Fereshta Gulalai Mina Najiba Nasrin Sakina "
            "Shakila Zarmina Hamida Latifa Mahbooba Masooma Parisa Sadia Shukria Storai Wazhma"
        ),
        _l(
            "Ahmadzai Mohammadi Popalzai Barakzai Stanekzai Wardak Hashimi Karimi Rahimi Hakimi "
            "Nazari Sultani Haidari Amiri Azizi Noori Safi Sharifi Jalali Rasuli Qaderi Sadat "
            "Hotak Yousufzai Achakzai Alokozai Niazi Mangal Shinwari Kakar Tokhi Samadi Habibi "
            "Akbari Rezaei Hussaini Jafari Ahmadi Rahmani Hamidi Saberi Faizi"
        ),
    ),
    "IRQ": (
        _l(
            "Mohammed Ali Ahmed Hussein Hassan Abbas Mustafa Omar Haidar Karrar Ammar Abdullah "
            "Mahmoud Khalid Youssef Ibrahim Jasim Kadhim Salah Saad Qasim Raad Hamid Adel Falah "
            "Firas Muntadhar Murtadha Sajjad Zaid Yasir Akram Majid Nabil Sami Thamer Waleed "
            "Bashar Laith Mohannad Abdul_Karim Abdul_Razzaq"
        ),
        _l(
            "Fatima Zainab Maryam Noor Zahraa Huda Sara Rania Amal Hiba Samira Layla Aya Ruqaya "
            "Shaima Iman Israa Nadia Suha Dunya Hanan Sahar Wafaa Asmaa Duaa Rasha Zahra Ban"
        ),
        _l(
            "Al-Jubouri Al-Tamimi Al-Obaidi Al-Dulaimi Al-Shammari Al-Rawi Al-Zubaidi Al-Khafaji "
            "Al-Saadi Al-Janabi Al-Azzawi Al-Bayati Al-Hashimi Al-Musawi Al-Husseini Al-Kubaisi "
            "Al-Ani Al-Samarrai Al-Tikriti Al-Lami Al-Maliki Al-Asadi Al-Kaabi Al-Bahadili "
            "Al-Sudani Al-Dabbagh Al-Hamdani Al-Jaf Barzani Talabani"
        ),
    ),
    "SYR": (
        _l(
            "Mohammad Ahmad Mahmoud Khaled Omar Ali Mustafa Hassan Abdullah Yousef Ibrahim "
            "Hussein Bilal Tareq Walid Samer Firas Ammar Basel Bashar Fadi Rami Hamza Anas "
            "Abdul_Rahman Mazen Jamal Majd Wael Ziad Osama Ayman Hani Maher Nizar Yaser Marwan "
            "Sami Jihad Abdul_Aziz Abdul_Karim"
        ),
        _l(
            "Fatima Aya Maryam Noor Rama Sara Hala Lama Rana Rasha Huda Layla Amal Hiba Samira "
            "Zeinab Asmaa Ghada Manal Reem Rima Salma Suzan Yasmin Duaa Batoul Israa Alaa"
        ),
        _l(
            "Al-Ahmad Al-Hassan Al-Ali Al-Mohammad Al-Hussein Al-Khalil Al-Ibrahim Al-Omar Haddad "
            "Khoury Mansour Hamdan Saleh Jaber Barakat Al-Masri Najjar Darwish Halabi Kurdi Aziz "
            "Al-Shami Al-Hamwi Al-Homsi Al-Khatib Kassab Sabbagh Attar Hamoud Shaaban Idlibi "
            "Al-Saleh Al-Abdullah Al-Mustafa Qassem Zaher Nasser Hijazi Suleiman"
        ),
    ),
    "LBN": (
        _l(
            "Mohammad Ali Hassan Hussein Ahmad Georges Elie Joseph Charbel Karim Khalil Omar "
            "Rami Fadi Tony Michel Jad Ziad Samir Walid Bilal Mahmoud Nabil Antoine Pierre Jihad "
            "Ibrahim Mustafa Abbas Marwan"
        ),
        _l(
            "Fatima Zeinab Maryam Rita Nour Maya Lara Rana Hiba Rima Joelle Nada Layal Mira "
            "Hanan Sara Lina Rola Sawsan Carla Nadine Ghina"
        ),
        _l(
            "Khoury Haddad Hariri Khalil Saad Nasrallah Fares Hamdan Mansour Zein Hajj Moussa "
            "Issa Rizk Aoun Karam Daher Hammoud Shehab Sleiman Najjar Harb Abboud Chidiac "
            "Salameh Tannous Bazzi Jaber Fakhoury Yassine Ayoub Ghanem Srour"
        ),
    ),
    "SDN": (
        _l(
            "Mohamed Ahmed Osman Abdalla Ibrahim Mustafa Hassan Babiker Omer Adam Ishag Yousif "
            "Hamid Siddig Ali Yagoub Elfatih Abdel_Rahman Abdel_Aziz Mubarak Khalid Salih Hussein "
            "Musa Idris Awad Elamin Elsadig Suliman Abdel_Moneim Gamal Hashim Bakri Nasr Abbaker "
            "Haroun Yahia Eltayeb Kamal Abdel_Gadir"
        ),
        _l(
            "Fatima Amna Hawa Khadija Maryam Safia Halima Zainab Aisha Nafisa Asha Awadia Sumaya "
            "Samia Hanan Rabab Nawal Mona Hadia Sarah Tahani Ikhlas Igbal Huda Nasra Rasha Manal "
            "Suad Amal"
        ),
        _l(
            "Elamin Abdelrahman Osman Babiker Adam Ibrahim Yagoub Hassan Mohamed Ahmed Hamid "
            "Siddig Ishag Elmahdi Elnour Elhadi Eltahir Elbashir Abdelgadir Abbaker Haroun"
        ),
    ),
    "ETH": (
        _l(
            "Mohammed Abebe Girma Tesfaye Bekele Alemu Kebede Tadesse Getachew Mulugeta Solomon "
            "Dawit Yonas Haile Mesfin Berhanu Tekle Desta Assefa Hailu Yohannes Daniel Samuel "
            "Ahmed Abdi Ali Hussein Gebre Negash Worku Teshome Tsegaye Biruk Ermias Fikru Dereje "
            "Mekonnen Wondimu Ayele Lemma Abdu Mulatu Tilahun Kassa"
        ),
        _l(
            "Tigist Hirut Meseret Almaz Aster Marta Selam Hana Genet Tsehay Birtukan Mulu Alem "
            "Fatuma Aisha Amina Zeyneb Meron Bethlehem Rahel Saba Senait Yeshi Mekdes Eden Helen "
            "Liya Tsion Abeba Mahlet"
        ),
        (),  # Ethiopians carry their grandfather's name, not a family name
    ),
    "NGA": (
        _l(
            "Muhammad Ibrahim Abubakar Musa Usman Aliyu Sani Bello Yusuf Abdullahi Umar Suleiman "
            "Aminu Adamu Haruna Isa Garba Lawal Emmanuel John Samuel Daniel Chukwuemeka Chinedu "
            "Emeka Oluwaseun Adebayo Olumide Tunde Segun Babatunde Ifeanyi Uche Obinna Godwin "
            "Peter Michael David Joseph Ahmed Kabiru Nasiru Idris Hassan"
        ),
        _l(
            "Fatima Aisha Hauwa Zainab Maryam Amina Hadiza Halima Khadija Blessing Grace Mary "
            "Esther Chioma Ngozi Funmilayo Folake Adaeze Ifeoma Oluwakemi Abimbola Bukola Joy "
            "Patience Comfort Rukayya Safiya Bilkisu Jamila Zulai"
        ),
        _l(
            "Musa Ibrahim Abubakar Bello Mohammed Usman Abdullahi Yusuf Sani Aliyu Okafor "
            "Okonkwo Eze Nwosu Okeke Obi Adeyemi Adebayo Ogunleye Olawale Oladipo Balogun "
            "Akinola Johnson Danjuma Garba Lawal Suleiman Yakubu Umar Adamu Haruna Idris Okoro "
            "Chukwu Nwachukwu Ojo Afolabi Ibekwe"
        ),
    ),
    "COD": (
        _l(
            "Jean Pierre Joseph Patrick Emmanuel Jean-Claude Christian Didier Fiston Benjamin "
            "Moise Olivier Papy Trésor Glody Eric Jean-Pierre Jean-Paul Daniel Samuel David "
            "Josué Jonathan Héritier Christophe Serge Alain Blaise Augustin Dieudonné Faustin "
            "Innocent Justin"
        ),
        _l(
            "Marie Grace Esther Sarah Chantal Jeanne Rachel Ruth Deborah Nathalie Joséphine "
            "Mireille Solange Francine Anuarite Béatrice Claudine Divine Espérance Furaha Neema "
            "Riziki Sifa Vumilia Feza Aline"
        ),
        _l(
            "Kambale Kahindo Masika Kavira Muhindo Paluku Kasereka Mumbere Mbuyi Kalala Ilunga "
            "Mutombo Lukusa Kasongo Mukendi Ngoy Kabongo Tshibangu Kalonji Mwamba Banza Nzuzi "
            "Mulumba Kanku Kazadi Bahati Amisi Mapendo Byamungu Mbusa Bisimwa Cirhuza Bashige "
            "Habimana Hakizimana"
        ),
    ),
    "SSD": (
        _l(
            "John Peter James Deng Garang Bol Majok Akol Mabior Kuol Machar Lual Manyang Ater "
            "Chol David Samuel Daniel Gatluak Gatkuoth Ruot Koang Lam Duop Nyuon Wani Lado "
            "Taban Lokule Juma Malual Makuei Ajak Dut Mayen Thon Mading"
        ),
        _l(
            "Mary Rebecca Nyandeng Achol Abuk Ayen Nyibol Adut Angelina Sarah Elizabeth Martha "
            "Nyakuoth Nyaruach Nyachuol Nyabol Akuol Poni Kiden Jane Grace Suzan Viola Agum Awut"
        ),
        _l(
            "Deng Garang Akol Kuol Majok Mabior Lual Chol Ajak Makuei Anyieth Dut Malual Nyuon "
            "Wani Lado Ladu Taban Gatluak Ruot Koang"
        ),
    ),
}

# Share of arrivals from each country, and how a family name is written there: the share
# of people whose "family name" is their grandfather's given name (a name chain, as in Sudan
# and Ethiopia) and the share with no family name at all (many Afghans).
COUNTRY_WEIGHTS = {
    "AFG": 20,
    "SDN": 20,
    "SYR": 15,
    "IRQ": 10,
    "ETH": 10,
    "NGA": 8,
    "COD": 7,
    "LBN": 5,
    "SSD": 5,
}
NAME_CHAIN = {"SDN": 0.7, "ETH": 1.0, "IRQ": 0.3, "SSD": 0.6, "NGA": 0.2}
NO_FAMILY_NAME = {"AFG": 0.3}
ALPHA2 = {
    "AFG": "AF",
    "IRQ": "IQ",
    "SYR": "SY",
    "LBN": "LB",
    "SDN": "SD",
    "ETH": "ET",
    "NGA": "NG",
    "COD": "CD",
    "SSD": "SS",
}
COUNTRY_NAMES = {
    "AFG": "Afghanistan",
    "IRQ": "Iraq",
    "SYR": "Syria",
    "LBN": "Lebanon",
    "SDN": "Sudan",
    "ETH": "Ethiopia",
    "NGA": "Nigeria",
    "COD": "Congo, The Democratic Republic of the",
    "SSD": "South Sudan",
}
ARABIC_SCRIPT = frozenset({"AFG", "IRQ", "SYR", "LBN", "SDN"})
PHONE_PREFIX = {
    "AFG": "93",
    "IRQ": "964",
    "SYR": "963",
    "LBN": "961",
    "SDN": "249",
    "ETH": "251",
    "NGA": "234",
    "COD": "243",
    "SSD": "211",
}

# The rarer names of each culture: compounds and roots, so that the tail of the name
# distribution is long (thousands of names seen once or twice), as in a real caseload.
DIVINE = _l(
    "Rahman Rahim Karim Aziz Majid Hamid Latif Qadir Salam Jabbar Ghani Hakim Malik Wahab "
    "Razzaq Basit Hadi Jalil Bari Khaliq Ghafoor Halim Wahid Samad Qayyum Nasir Mannan Rauf "
    "Sattar Haq Wadud Rashid Baqi Fattah Jawad Hafiz Shakur Majeed Moneim Muttalib"
)
ROOT_NAMES = _l(
    "Nabil Jamil Wasim Kamil Sabir Shakir Zahir Tahir Fahim Nadim Rafiq Sadiq Amin Munir "
    "Anwar Akram Asghar Ashraf Azhar Faiz Fuad Hisham Imad Iyad Jawdat Kazim Luay Maan "
    "Mazin Muhsin Munzir Nazih Qays Raed Riyad Sabri Safwan Shadi Suhail Taha Usama Wajdi "
    "Yasin Zuhair Zakariya Hikmat Nizam Ihsan Fadil Badr Bassam Ghassan Haitham Hamdi "
    "Husam Khayri Lutfi Mamdouh Midhat Nasrat Radwan Rifat Sharif Tawfiq Wahbi Zafar"
)
ROOT_NAMES_F = _l(
    "Amira Basma Dalia Farah Ghalia Hadeel Ilham Jumana Karima Lubna Maha Najwa Rabia "
    "Safa Siham Wafa Widad Yusra Zahia Afaf Bushra Dima Fadwa Ghufran Hayat Inas Jinan "
    "Kawthar Lamia Marwa Nahla Rawan Sana Shatha Taghrid Wijdan Yasmina Zakia Abir Fatin"
)
AFGHAN_SUFFIX = ("ullah", "uddin", "ullah", "gul", "jan", "khan")
AFGHAN_PREFIX = ("Mohammad", "Abdul", "Gul", "Noor", "Sayed", "Ghulam", "Shah", "Mir")
ETH_PREFIX = _l("Gebre Wolde Haile Tekle Kidane Fikre Tesfa Habte Berhe Asfaw Gebru")
ETH_SUFFIX = _l("mariam selassie giorgis michael yesus egziabher kidan medhin hiwot tsion")
YORUBA = (_l("Olu Ade Ayo Ola Oluwa Ife Femi Kayo Tolu Bayo"), _l("tunde wale seun dayo mide femi"))
IGBO = (_l("Chi Chukwu Nna Ife Uche Ebe Obi Ama"), _l("nedu emeka buike oma dinma ebuka nonso"))
BANTU = _l("ka mu ba tshi ngo lu ma ki mbu nda ya la mba sa ku ke wa ri")
NILOTIC = _l("ma ga ku lu a tho nya ja de bo ri tu ke")

# Latin variants a clerk may write for a spelling (the engine knows many of them, not all).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "Mohammad": ("Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohamad", "Muhammed"),
    "Mohammed": ("Mohammad", "Muhammad", "Mohamed", "Mohamad"),
    "Mohamed": ("Mohammed", "Mohamad", "Muhammad", "Mohamed"),
    "Muhammad": ("Muhammed", "Mohammed", "Mohammad"),
    "Ahmad": ("Ahmed", "Ahmet", "Ahmd"),
    "Ahmed": ("Ahmad", "Ahmet"),
    "Hussain": ("Hussein", "Husain", "Hossain", "Husein"),
    "Hussein": ("Hussain", "Husein", "Hossein"),
    "Yousuf": ("Yusuf", "Yousef", "Youssef", "Yusef"),
    "Youssef": ("Yousef", "Yusuf", "Yousif"),
    "Yousef": ("Youssef", "Yusuf", "Yousif"),
    "Yousif": ("Yousef", "Yusuf", "Youssef"),
    "Yusuf": ("Yousuf", "Yousef"),
    "Omar": ("Umar", "Omer"),
    "Omer": ("Omar", "Umar"),
    "Osman": ("Othman", "Usman", "Uthman"),
    "Abdullah": ("Abdallah", "Abdalla", "Abdulla"),
    "Abdalla": ("Abdallah", "Abdullah"),
    "Khaled": ("Khalid",),
    "Khalid": ("Khaled",),
    "Mustafa": ("Mostafa", "Moustafa", "Mustapha"),
    "Mahmoud": ("Mahmud", "Mahmood"),
    "Ibrahim": ("Ebrahim", "Ibraheem"),
    "Hassan": ("Hasan",),
    "Fatima": ("Fatma", "Fatimah", "Fatuma", "Fatemeh"),
    "Aisha": ("Aysha", "Ayesha", "Aicha"),
    "Khadija": ("Khadijah", "Kadija"),
    "Zainab": ("Zaynab", "Zeinab"),
    "Zeinab": ("Zainab", "Zaynab"),
    "Maryam": ("Mariam", "Meryem"),
    "Noor": ("Nur", "Nour"),
    "Nour": ("Noor", "Nur"),
    "Layla": ("Leila", "Laila"),
    "Tareq": ("Tariq", "Tarek"),
    "Yaser": ("Yasir", "Yasser"),
    "Yasir": ("Yaser", "Yasser"),
    "Suleiman": ("Sulaiman", "Soliman"),
    "Suliman": ("Suleiman", "Sulaiman"),
    "Idris": ("Idriss", "Edris"),
    "Musa": ("Moussa", "Mousa"),
    "Isa": ("Issa", "Eisa"),
    "Yagoub": ("Yacoub", "Yaqub", "Yagub"),
    "Ishag": ("Ishaq", "Ishak"),
    "Siddig": ("Siddiq", "Sadig"),
    "Salih": ("Saleh", "Salah"),
    "Saleh": ("Salih",),
    "Abbaker": ("Abakar", "Abubakar"),
    "Haroun": ("Harun", "Haroon"),
    "Haroon": ("Harun", "Haroun"),
    "Jawad": ("Javad",),
    "Mansoor": ("Mansour", "Mansur"),
    "Masood": ("Masud", "Masoud"),
    "Qasim": ("Kasim", "Qassim", "Kassem"),
    "Kadhim": ("Kazim", "Kadhem"),
    "Haidar": ("Haider", "Hayder"),
    "Jean": ("Jan",),
    "Moise": ("Moïse",),
    "Trésor": ("Tresor",),
}
ABD_FORMS = ("Abdul {}", "Abdul{}", "Abdel {}", "Abd al-{}", "Abd-{}", "Abdul-{}")

# Arabic script of the names that have a usual one (typed from general knowledge).
ARABIC: dict[str, str] = {
    "Mohammad": "محمد",
    "Mohammed": "محمد",
    "Mohamed": "محمد",
    "Ahmad": "أحمد",
    "Ahmed": "أحمد",
    "Ali": "علي",
    "Hussein": "حسين",
    "Hussain": "حسين",
    "Hassan": "حسن",
    "Omar": "عمر",
    "Omer": "عمر",
    "Osman": "عثمان",
    "Khalid": "خالد",
    "Khaled": "خالد",
    "Mustafa": "مصطفى",
    "Youssef": "يوسف",
    "Yousef": "يوسف",
    "Yousif": "يوسف",
    "Yousuf": "يوسف",
    "Ibrahim": "إبراهيم",
    "Abdullah": "عبد الله",
    "Abdalla": "عبد الله",
    "Mahmoud": "محمود",
    "Ammar": "عمار",
    "Bilal": "بلال",
    "Tareq": "طارق",
    "Walid": "وليد",
    "Samir": "سمير",
    "Firas": "فراس",
    "Haidar": "حيدر",
    "Abbas": "عباس",
    "Adam": "آدم",
    "Babiker": "بابكر",
    "Yagoub": "يعقوب",
    "Hamid": "حامد",
    "Siddig": "صديق",
    "Ishag": "إسحاق",
    "Elamin": "الأمين",
    "Gul": "گل",
    "Karim": "كريم",
    "Rahim": "رحيم",
    "Najib": "نجيب",
    "Farid": "فريد",
    "Sayed": "سيد",
    "Wahid": "وحيد",
    "Habib": "حبيب",
    "Noor": "نور",
    "Jawad": "جواد",
    "Bashir": "بشير",
    "Nasir": "ناصر",
    "Qasim": "قاسم",
    "Jamal": "جمال",
    "Aziz": "عزيز",
    "Rashid": "رشيد",
    "Khalil": "خليل",
    "Idris": "إدريس",
    "Musa": "موسى",
    "Salih": "صالح",
    "Saleh": "صالح",
    "Awad": "عوض",
    "Kamal": "كمال",
    "Hashim": "هاشم",
    "Jasim": "جاسم",
    "Kadhim": "كاظم",
    "Saad": "سعد",
    "Zaid": "زيد",
    "Fatima": "فاطمة",
    "Aisha": "عائشة",
    "Zainab": "زينب",
    "Zeinab": "زينب",
    "Maryam": "مريم",
    "Layla": "ليلى",
    "Huda": "هدى",
    "Rania": "رانيا",
    "Sara": "سارة",
    "Amal": "أمل",
    "Hiba": "هبة",
    "Samira": "سميرة",
    "Amna": "آمنة",
    "Hawa": "حواء",
    "Khadija": "خديجة",
    "Safia": "صفية",
    "Halima": "حليمة",
    "Nafisa": "نفيسة",
    "Zahra": "زهرا",
    "Zahraa": "زهراء",
    "Haddad": "حداد",
    "Khoury": "خوري",
    "Mansour": "منصور",
    "Hamdan": "حمدان",
    "Jaber": "جابر",
    "Barakat": "بركات",
    "Al-Masri": "المصري",
    "Al-Hassan": "الحسن",
    "Najjar": "نجار",
    "Darwish": "درويش",
    "Al-Rawi": "الراوي",
    "Al-Jubouri": "الجبوري",
    "Al-Tamimi": "التميمي",
    "Al-Obaidi": "العبيدي",
    "Al-Dulaimi": "الدليمي",
    "Al-Shammari": "الشمري",
    "Halabi": "حلبي",
    "Kurdi": "كردي",
    "Karimi": "کریمی",
    "Hakimi": "حکیمی",
    "Rahimi": "رحیمی",
    "Sultani": "سلطانی",
    "Haidari": "حیدری",
    "Amiri": "امیری",
    "Azizi": "عزیزی",
    "Noori": "نوری",
    "Hashimi": "هاشمی",
    "Mohammadi": "محمدی",
    "Ahmadzai": "احمدزی",
    "Popalzai": "پوپلزی",
    "Wardak": "وردک",
    "Shabnam": "شبنم",
    "Farzana": "فرزانه",
    "Parwana": "پروانه",
    "Nadia": "نادیه",
}
