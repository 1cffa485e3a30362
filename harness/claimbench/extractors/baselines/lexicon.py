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
PRONOUN_SOURCES = frozenset({"he", "she", "they", "it", "we", "i", "you"})

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
