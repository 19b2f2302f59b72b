"""The English words cqqa's parsers share: function words, months, number and ordinal words.

One place for each list, so the question parser, the facts extractor and the answer stage
cannot disagree about what "sept", "twelfth" or "the" is. Rules about a word's role in a
phrase (which words end a counted noun, which follow a year) stay with the rule that uses them.
"""

from __future__ import annotations

# Function words: searched for by nobody, and never a constraint of a question.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t don isn aren wasn weren hasn haven hadn doesn didn won wouldn shouldn""".split()
)

MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
# Month name or abbreviation -> 1..12 ("may" is only a name; "mar" and "may" are also words).
MONTHS = (
    {name: i for i, name in enumerate(MONTH_NAMES, 1)}
    | {
        abbr: i
        for i, abbr in enumerate("jan feb mar apr - jun jul aug sep oct nov dec".split(), 1)
        if abbr != "-"
    }
    | {"sept": 9}
)

# Spelled-out cardinals below a hundred, by part: "twenty-one" is a ten and a unit.
UNITS = {w: i for i, w in enumerate("one two three four five six seven eight nine".split(), 1)}
TEENS = {
    w: i
    for i, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(),
        10,
    )
}
TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
CARDINALS = {**UNITS, **TEENS, **TENS}

ORDINAL_UNITS = {
    w: i
    for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth".split(), 1)
}
ORDINALS = {
    **ORDINAL_UNITS,
    **{
        w: i
        for i, w in enumerate(
            "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
            "eighteenth nineteenth".split(),
            10,
        )
    },
    **{
        w: 10 * i
        for i, w in enumerate(
            "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(),
            2,
        )
    },
    "hundredth": 100,
    "thousandth": 1000,
    "millionth": 10**6,
}
# 1..20 -> the ordinal word ("13" -> "thirteenth"), for checking a sentence names an edition.
ORDINAL_WORD_OF = {v: w for w, v in ORDINALS.items() if v <= 20}

# Nouns that count the same things: a statement about "fewer than 100 companies" is about a
# sentence's "more than 200 enterprises". Only near-exact synonyms, never kinds of a thing
# ("consulates" are not "embassies", "towns" are not "cities").
SAME_COUNTED = (
    frozenset("company companies firm firms enterprise enterprises business businesses".split()),
    frozenset("people persons individuals".split()),
)
# Words a statement may use for a sentence's word, as English usage has them ("connect to
# 300 ports" for "links with 319 ports", "the corridor" for "the channel"). Near-exact
# synonyms only: a loose word pass here lets a statement through unchecked.
SYNONYMS = (
    frozenset("connect connects connected connecting link links linked linking".split()),
    frozenset("corridor corridors channel channels".split()),
    SAME_COUNTED[0],
)
# Places and bodies a text may write by another common name: a question about "Europe" is
# about a sentence's "EU". English usage, not any document's names.
OTHER_NAMES = {
    "europe": ("EU", "european union", "european"),
    "america": ("US", "U.S.", "USA", "united states", "american"),
    "britain": ("UK", "U.K.", "united kingdom", "british"),
    "england": ("UK", "britain", "british", "english"),
    "holland": ("netherlands", "dutch"),
    "netherlands": ("holland", "dutch"),
    "china": ("PRC", "chinese", "sino"),
    "russia": ("russian federation", "russian"),
    "korea": ("korean", "ROK", "DPRK"),
    "emirates": ("UAE",),
}
# A people's or a language's word for a place, where English does not form it by a suffix
# ("Egyptian", "Japanese" are formed; "French" is not): both ways, so that a question's
# "French" is about a sentence's "France" and "France" about "French".
DEMONYM_PAIRS = (
    ("france", "french"),
    ("england", "english"),
    ("ireland", "irish"),
    ("britain", "british"),
    ("netherlands", "dutch"),
    ("holland", "dutch"),
    ("wales", "welsh"),
    ("scotland", "scottish"),
    ("scotland", "scots"),
    ("switzerland", "swiss"),
    ("sweden", "swedish"),
    ("denmark", "danish"),
    ("finland", "finnish"),
    ("poland", "polish"),
    ("spain", "spanish"),
    ("portugal", "portuguese"),
    ("greece", "greek"),
    ("turkey", "turkish"),
    ("china", "chinese"),
    ("arabia", "arab"),
    ("arabia", "arabian"),
    ("iraq", "iraqi"),
    ("pakistan", "pakistani"),
    ("israel", "israeli"),
    ("thailand", "thai"),
    ("philippines", "filipino"),
    ("peru", "peruvian"),
    ("norway", "norwegian"),
    ("belgium", "belgian"),
    ("mongolia", "mongol"),
)
# Class nouns that name one kind of named thing: "Which trade pact?" is answered by a name
# that ends in "Agreement". Near-exact synonyms only.
SAME_CLASS = (
    frozenset("agreement agreements pact pacts treaty treaties accord accords".split()),
    frozenset("centre centres center centers hub hubs".split()),
    frozenset("fair fairs expo expos exhibition exhibitions exposition".split()),
    frozenset("summit summits forum forums conference conferences".split()),
    SAME_COUNTED[0] | {"corporation", "corporations"},
    frozenset("law laws act acts statute statutes legislation".split()),
)
# Words for "people" as a question counts them, and nouns that count people: "how many
# people" is answered by "30,000 descendants", "roughly 60,000 European settlers".
PEOPLE_WORDS = frozenset("people persons individuals humans".split())
PEOPLE_NOUNS = frozenset(
    "people persons individuals inhabitants residents citizens settlers colonists descendants "
    "immigrants emigrants migrants refugees workers employees staff soldiers troops men women "
    "children adults students pupils members visitors tourists passengers voters natives "
    "slaves prisoners victims survivors believers followers worshippers pilgrims farmers "
    "peasants civilians patients volunteers delegates participants attendees spectators "
    "population".split()
)
# English phrases that say what another says, as a statement to check may word them:
# (pattern, the words a document more often uses).
PARAPHRASES = (
    # "going to" before a verb, not before a place ("going to the port", "going to Lima")
    (
        r"\b(?:(?:is|are|was|were|am) )?going to (?=[a-z])(?!(?:the|a|an|this|that|its|their) )",
        "will ",
    ),
    (r"\b(?:take|takes|taking|taken|took) part in\b", "participate in"),
    (r"\b(?:set|sets|setting) off\b", "departed"),
    # "brought in CapitaLand" says "introduced CapitaLand": one verb, not two words
    (r"\b(?:bring|brings|brought|bringing) in\b", "introduced"),
    # "take place" is "happen": one verb, not two words a sentence must have
    (r"\b(?:take|takes|took|taken|taking) place\b", "happen"),
    (r"\b(?:set|sets|setting) out\b", "departed"),
    # "Is X described as Y?" asks "Is X Y?": a verb of how a text puts it, not a word the
    # sentence must repeat
    (
        r"\b(?:described|referred to|regarded|seen|portrayed|characteri[sz]ed|presented|depicted|"
        r"identified|cast|billed|labell?ed|mentioned|named|listed) as\s+",
        "",
    ),
    # a verb of going beyond before a figure says "more than" it ("top US$5 billion"), not
    # "the top 5" (a rank), nor a year standing alone ("exceed 2021 levels": 1500-2099 with
    # no magnitude, percent or further digits after it)
    (
        r"(?<!\bthe )(?<!\ba )\b(?:top|tops|topped|topping|exceed|exceeds|exceeded|exceeding|"
        r"surpass|surpasses|surpassed|surpassing|go over|goes over|went over|gone over)\s+"
        r"(?=(?:us\$|\$|€|£|¥)?\d)"
        r"(?!(?:1[5-9]|20)\d\d\b(?![.,]\d|\s*(?:%|(?:percent|thousand|million|billion|trillion)\b)))",
        "more than ",
    ),
    # "pass", "break" and "beat" have objects of their own ("pass 3 bills", "break 10
    # records"): "more than" only before money, a percent or a magnitude
    (
        r"\b(?:break|breaks|broke|broken|breaking|beat|beats|beaten|beating|pass|passes|passed|"
        r"passing)\s+"
        r"(?=(?:us\$|\$|€|£|¥)\d|\d[\d,.]*\s*(?:%|(?:percent|million|billion|trillion)\b))",
        "more than ",
    ),
)

# Words that begin a list of examples or members ("such as A, B and C", "including A and B").
# "like" is left out: a verb as often ("cities like the plan").
LIST_MARKERS = (
    "such as",
    "including",
    "includes",
    "include",
    "namely",
    "among them",
    "among which",
)
LIST_MARKER = r"\b(?:" + "|".join(m.replace(" ", r"\s+") for m in LIST_MARKERS) + r")\b"
