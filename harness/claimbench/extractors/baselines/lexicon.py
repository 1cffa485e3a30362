"""General word lists of the baselines.

Every list here is general English or world knowledge (reporting verbs, titles, organisation
suffixes, the world's countries and their demonyms); none is taken from the corpus or its gold.
"""


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`."""
    return frozenset(text.split())


REPORTING_VERBS = _words(
    """
    say says said saying tell tells told telling add adds added adding state states stated
    claim claims claimed allege alleges alleged report reports reported confirm confirms confirmed
    announce announces announced insist insists insisted explain explains explained warn warns
    warned note notes noted deny denies denied acknowledge acknowledged admit admits admitted
    argue argues argued assert asserted declare declared describe described estimate estimated
    quote quoted reveal revealed suggest suggested write wrote writes recall recalled
    maintain maintained mention mentioned predict predicted promise promised vow vowed
    stress stressed urge urged disclose disclosed indicate indicated
    """
)
# Lemmas, for a tagger that gives them.
REPORTING_LEMMAS = _words(
    """
    say tell add state claim allege report confirm announce insist explain warn note deny
    acknowledge admit argue assert declare describe estimate quote reveal suggest write recall
    maintain mention predict promise vow stress urge disclose indicate
    """
)
# Verbs that name the hearer right after them ("told reporters that ...").
ADDRESSEE_VERBS = frozenset({"tell", "tells", "told", "telling", "warn", "warned", "urge"})

TITLES = _words(
    """
    mr mr. mrs mrs. ms ms. dr dr. prof prof. gen gen. general col col. colonel maj maj. major
    capt capt. captain lt lt. lieutenant sgt sgt. sergeant brig brig. brigadier cmdr commander
    president minister premier senator sen. rep. governor mayor king queen prince princess
    sheikh imam bishop pope father judge justice chief inspector superintendent spokesman
    spokeswoman spokesperson officer director chairman chairwoman ambassador secretary
    deputy sir lord lady dame
    """
)
ORG_SUFFIXES = _words(
    """
    group army party agency ministry council corps force forces police department organisation
    organization committee commission front movement bank university college company inc inc.
    ltd ltd. corp corp. co. association union institute office court parliament assembly
    government authority service services news times post press network brigade battalion
    regiment command navy coalition alliance federation foundation fund trust society church
    league board bureau centre center guard guards militia tribunal secretariat nations
    """
)
GPE_SUFFIXES = frozenset(
    {"province", "district", "city", "county", "region", "prefecture", "states", "kingdom"}
    | {"republic", "emirates"}
)
LOC_SUFFIXES = _words(
    """
    mountains mountain river valley sea ocean desert hills hill lake range mount peninsula
    gulf bay island islands plain plains plateau pass forest coast strait
    """
)
FAC_SUFFIXES = _words(
    """
    airport bridge road street highway hospital mosque church temple stadium dam prison jail
    station square palace tower camp base barracks hotel market motorway
    """
)
CONNECTORS = frozenset({"of", "de", "al", "bin", "ibn", "van", "von", "and", "for", "the"})

# Adjectives and nouns of nationality, religion and political leaning (OntoNotes NORP).
DEMONYMS = _words(
    """
    Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian Australian
    Austrian Azerbaijani Bahamian Bahraini Bangladeshi Barbadian Belarusian Belgian Belizean
    Beninese Bhutanese Bolivian Bosnian Botswanan Brazilian British Bruneian Bulgarian Burkinabe
    Burmese Burundian Cambodian Cameroonian Canadian Chadian Chilean Chinese Colombian Comorian
    Congolese Croatian Cuban Cypriot Czech Danish Djiboutian Dominican Dutch Ecuadorian Egyptian
    Emirati English Eritrean Estonian Ethiopian Fijian Filipino Finnish French Gabonese Gambian
    Georgian German Ghanaian Greek Grenadian Guatemalan Guinean Guyanese Haitian Honduran
    Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican
    Japanese Jordanian Kazakh Kenyan Korean Kosovar Kuwaiti Kyrgyz Lao Laotian Latvian Lebanese
    Liberian Libyan Lithuanian Luxembourgish Macedonian Malagasy Malawian Malaysian Maldivian
    Malian Maltese Mauritanian Mauritian Mexican Moldovan Monegasque Mongolian Montenegrin
    Moroccan Mozambican Namibian Nepalese Nepali Nicaraguan Nigerian Nigerien Norwegian Omani
    Pakistani Palestinian Panamanian Paraguayan Peruvian Polish Portuguese Qatari Romanian
    Russian Rwandan Salvadoran Samoan Saudi Scottish Senegalese Serbian Singaporean
    Slovak Slovenian Somali Somalian Spanish Sudanese Surinamese Swazi Swedish Swiss Syrian
    Taiwanese Tajik Tanzanian Thai Togolese Tongan Trinidadian Tunisian Turkish Turkmen Ugandan
    Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh Yemeni Zambian Zimbabwean
    European African Asian Arab Western Hindu Muslim Christian Jewish Jew Buddhist Catholic
    Protestant Sunni Shia Shiite Islamic Islamist Jihadist Democrat Republican Communist
    Socialist Conservative Liberal
    """
)
# Plurals name the people ("Afghans", "Muslims"); "-ese" and "-ish" forms have none.
DEMONYMS = DEMONYMS | {word + "s" for word in DEMONYMS if word[-1] in "ntiab"}
COUNTRIES = _words(
    """
    Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan
    Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia
    Botswana Brazil Britain Brunei Bulgaria Burundi Cambodia Cameroon Canada Chad Chile China
    Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica Ecuador Egypt
    England Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany
    Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia
    Iran Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Korea Kosovo
    Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania
    Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico
    Micronesia Moldova Monaco Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal
    Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palau Palestine Panama Paraguay Peru
    Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa Scotland Senegal Serbia
    Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria
    Taiwan Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu Uganda
    Ukraine Uruguay Uzbekistan Vanuatu Venezuela Vietnam Wales Yemen Zambia Zimbabwe
    """
)
# Capitalised words that start sentences or name dates, never entities by themselves.
MONTH_AND_DAY_NAMES = _words(
    """
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    """
)

# Claims (gold/GUIDELINES.md §13): what a number counts, read from the noun after it.
COUNTED_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        _words(
            """
            militant militants terrorist terrorists insurgent insurgents
            fighter fighters rebel rebels gunman gunmen attacker attackers assailant assailants
            bomber bombers jihadist jihadists extremist extremists guerrilla guerrillas
            separatist separatists
            """
        ),
        "militants",
    ),
    **dict.fromkeys(
        _words(
            """
            soldier soldiers troops trooper troopers personnel policeman policemen policewoman
            policewomen serviceman servicemen paramilitaries paramilitary commando commandos
            marine marines sailors airmen guard guards constable constables cops forces
            """
        ),
        "security_personnel",
    ),
    **dict.fromkeys(_words("officer officers"), "officers"),
    **dict.fromkeys(
        _words("civilian civilians bystander bystanders passers-by passersby pedestrians"),
        "civilians",
    ),
    **dict.fromkeys(
        _words(
            """
            people persons person others individuals residents villagers passengers victims
            children women men adults students pupils worshippers tourists hostages captives
            """
        ),
        "people",
    ),
    **dict.fromkeys(
        _words(
            """
            weapons weapon guns gun rifles rifle pistols pistol grenades grenade rockets rocket
            bombs bomb explosives mines missiles missile rounds bullets ammunition arms
            launchers detonators
            """
        ),
        "weapons",
    ),
}
# A modifier that decides the class of whatever noun follows ("police officers", "army
# doctors" are security personnel; "explosive devices" are weapons).
COUNTED_MODIFIERS: dict[str, str] = {
    **dict.fromkeys(_words("police army military paramilitary"), "security_personnel"),
    **dict.fromkeys(_words("explosive"), "weapons"),
}
# Nouns for people named by nationality ("Chinese nationals", "three Chinese engineers").
NATIONAL_NOUNS = _words(
    """
    nationals national citizens citizen workers worker engineers engineer employees employee
    experts expert teachers teacher instructors instructor tourists tourist women woman men man
    """
)
# The only nationality the claims vocabulary has a class of its own for (§13.4).
NATIONALITY_CLASSES = {"chinese": "chinese_nationals"}
# What happened to the counted referents, read from the nearest event word in the sentence.
EVENT_WORDS: dict[str, str] = {
    **dict.fromkeys(
        _words(
            """
            kill kills killed killing dead death deaths died die dies dying slain toll
            fatalities eliminated neutralised neutralized massacred
            """
        ),
        "killed",
    ),
    **dict.fromkeys(
        _words("injure injures injured injuring injuries wound wounds wounded wounding hurt"),
        "injured",
    ),
    **dict.fromkeys(
        _words(
            "kidnap kidnaps kidnapped kidnapping abduct abducts abducted abducting abduction "
            "hostage"
        ),
        "kidnapped",
    ),
    **dict.fromkeys(
        _words("escape escapes escaped escaping fled freed freeing rescued"), "escaped"
    ),
    **dict.fromkeys(
        _words(
            "capture captured capturing arrest arrests arrested arresting detain detained "
            "detaining surrendered"
        ),
        "captured",
    ),
    **dict.fromkeys(
        _words("seize seizes seized seizing recovered confiscated impounded"), "seized"
    ),
}
# Words that turn an injury into a critical one ("critically injured", "in serious condition").
CRITICAL_WORDS = _words("critical critically serious seriously")
# Taking objects (seized) is taking people (kidnapped) when what is taken are people.
SEIZED_PEOPLE_EVENT = "kidnapped"
# Operations whose length a duration measures ("a four-day siege", "fighting lasted two days").
OPERATION_NOUNS = _words(
    """
    operation operations raid raids gunfight gunfights firefight fighting battle battles clash
    clashes siege offensive assault search standoff shootout campaign mission rescue
    """
)
DISTANCE_UNITS = frozenset({"km", "mi"})
