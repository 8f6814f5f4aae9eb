"""Name-variant groups.

Hand-written for HBM by the engine's author from general knowledge of common
romanisations of Arabic, Persian, Pashto, Sudanese and Central-African names; no
external list was copied. Licence: the project's own licence. Each line is one group;
the first spelling is the canonical one. Arabic-script spellings may be included; they
are transliterated like any other input. Unseen variants are caught by consonant
skeletons (see :func:`hbm.matching.names.skeleton`).
"""

from __future__ import annotations

VARIANT_GROUPS: tuple[str, ...] = (
    (
        "mohammed muhammad mohamed mohamad muhammed mohammad mohammod mohamud muhamad"
        " mohd mohummad mahomed mehmet mamadou mamadu muhamed محمد"
    ),
    "ahmed ahmad ahmet ehmed ahmid أحمد احمد",
    "mahmoud mahmud mahmood mehmood mahmut محمود",
    "hussein husayn hussain husein hossein hosein husain hossain حسين",
    "hassan hasan hassen hasen hasson حسن",
    "hassanein hasanein hasnain حسنين",
    "ali aly alee علي",
    "omar umar omer umer oumar عمر",
    "othman osman usman uthman ousmane ozman عثمان",
    "yusuf youssef yousef yousif yusef yussuf yousuf youcef yosef يوسف",
    "ibrahim ebrahim ibrahima ibraheem brahim إبراهيم ابراهيم",
    "ismail ismael esmail ismaeel smail إسماعيل اسماعيل",
    "mustafa mostafa moustafa mustapha mostapha مصطفى",
    "khalid khaled halid خالد",
    "abdullah abdallah abdalla abdulla abdollah عبدالله",
    "abdrahman abdurahman abdirahman abdourahmane عبدالرحمن",
    "abdulaziz abdelaziz abdalaziz عبدالعزيز",
    "abubakr abubakar aboubakar abubaker abu-bakr أبوبكر",
    "jafar jaafar jafer ja'far جعفر",
    "karim kareem kerim karime كريم",
    "rahim raheem rahime رحيم",
    "salim saleem selim salem سالم سليم",
    "said saeed sayed sayid saeid sa'id سعيد",
    "sayyid sayed seyed sayyed سيد",
    "hamid hameed hamed حامد حميد",
    "rashid rasheed rachid rashed راشد رشيد",
    "tariq tarek tarik tareq طارق",
    "walid waleed oualid وليد",
    "yasin yaseen yassin yacine ياسين",
    "zakaria zakariya zakariyya zakaria زكريا",
    "idris idriss edris إدريس ادريس",
    "musa moussa mousa moosa موسى",
    "isa issa eisa عيسى",
    "yahya yahia yehia يحيى",
    "suleiman sulaiman soliman sulayman suleyman سليمان",
    "nasser nasir naser nassir ناصر",
    "jamal gamal jamaal جمال",
    "faisal faysal feisal فيصل",
    "habib habeeb حبيب",
    "qasim kasim qassim kassem qasem قاسم",
    "hamza hamzah حمزة",
    "bilal belal بلال",
    "fatima fatma fatimah fatuma fatema fatemeh فاطمة",
    "aisha aysha ayesha aicha aishah عائشة عايشة",
    "khadija khadijah khadidja khadeeja kadija خديجة",
    "zainab zaynab zeinab zenab زينب",
    "maryam mariam meryem miriam مريم",
    "amina aminah ameena amena آمنة امينة",
    "halima halimah halime حليمة",
    "layla leila laila leyla ليلى",
    "nur noor nour نور",
    "samira sameera سميرة",
    "hawa hawwa حواء",
    "gul gol گل",
    "zahra zehra zahraa زهراء زهرا",
    "sakina sakinah sakine سكينة",
    "ahmadzai ahmadzay",
    "nazari nazary",
    "hakimi hakimy",
    "jean jan",
    "mbuyi mbuyu",
    "kabila kabilla",
    "nkurunziza nkurunzisa",
)
