"""The shape of a question that needs a step of reasoning over the facts, read from English.

Each shape is a rule about how such questions are asked, never about one document:
- ``summary``: "Summarize the main points", "What is this article about?";
- ``yesno``: a question that opens with an auxiliary verb ("Is ...", "Has ...", "Did ...");
- ``comparison``: a comparative and "than" ("Was X larger than Y?"), or "which ..., X or Y";
- ``arithmetic``: "how many more X than Y", "the difference between", "in total", "per",
  "on average", "before the 12.9% rise", "how many days between X and Y";
- ``superlative``: the largest/smallest/earliest figure of a kind, or which place has one.

Also by their shape, whatever the words between: a statement with a tag ("X, right?",
"X, isn't it?", "Is it true that X?") is a yes/no question about X; "how many times as many
X as Y" and "the ratio of X to Y" are ratios; "which is the smallest: A, B, or C?" and "A vs
B, which is more?" are choices among the options listed; a phrase that only points back
("that", "it") names what the conversation asked before, and a follow-up that is only an
operation ("And per country?", "How many is that in total?") works on it.

A question that has none of these shapes gets ``None`` and goes to the reader unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import CARDINALS
from ..textutil import normalize_apostrophes


@dataclass(frozen=True)
class Shape:
    kind: str  # summary, yesno, comparison, arithmetic, superlative
    op: str = ""  # difference, sum, ratio, before, days; greater, less, earlier, later; max, min
    sides: tuple[str, ...] = ()  # the phrases naming the operands, as asked
    polar: bool = False  # a yes/no form ("Is X larger than Y?") rather than "which"
    claim: str = ""  # for yes/no: the statement to check
    kind_word: str = ""  # for superlatives: the kind of figure asked about
    category: str = ""  # "which district has ...": the category the answer names
    shown: tuple[str, ...] = ()  # the sides as the answer names them, when sides lean back
    ways: tuple[str, ...] = ()  # "bigger or smaller": the words the answer is to choose from


AUX = (
    r"is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|must|"
    r"isn't|aren't|wasn't|weren't|don't|doesn't|didn't|hasn't|haven't|hadn't"
)
_POLAR = re.compile(rf"^\s*(?:so |and |but |then )?({AUX})\b\s*(.*)$")
# "Can you name one exhibition", "could you tell me": a request, not a yes/no question.
# "Was was the plan ...", "Is what ...": a typo or a wh-question, not a yes/no one.
_NOT_POLAR = re.compile(rf"^\s*(?:{AUX}|what|which|who|whom|whose|when|where|why|how)\b")
_REQUEST = re.compile(
    r"^\s*(can|could|would|will) (you|u|i|we) (please )?"
    r"(name|tell|list|give|say|find|show|explain|describe|summari[sz]e|get)\b"
)
_SUMMARY = re.compile(
    r"\bsummar(y|ies|ise|ize|ised|ized|ising|izing)\b"
    r"|\bmain (points?|ideas?|messages?|takeaways?|thrust|argument)\b"
    r"|\bmain (?:topics?|themes?|subjects?)\b(?= of (?:the|this|that|it)\b|\s*\??\s*$"
    r"| (?:is|are|was|were) (?:it|this|that)\b| (?:does|do|did) (?:the|this|it)\b)"
    r"|\bkey (points|takeaways|messages|facts|ideas|themes|topics|highlights)\b|\bgist\b"
    r"|\btl;? ?dr\b|\boverview\b|\bin a nutshell\b|\brecap\b"
    r"|\bsum (?:it |this |that |things |everything |the \w+ )?up\b"
    r"|\b(?:its|(?:article|document|text|story|report|piece)'s) (?:main |central |overall |"
    r"big |key )(?:points?|picture|ideas?|themes?|topics?|messages?)\b"
    r"|\bthe (?:central|overall|big) (?:point|picture|idea|theme|topic|message)\b"
    r"|\bwhat(?:'s| is| was| are)\b(?: (?:this|the|that|it))?(?: (?:whole|entire|full))?"
    r"(?: (?:article|document|text|story|report|piece|news|page))?"
    r"(?: (?:mainly|mostly|chiefly|primarily|basically|generally|really|all|actually))? about"
    r"\s*\??\s*$"
    r"|^\s*what does (?:the|this|it)(?: (?:article|document|text|story|report|piece|page))?"
    r"(?: (?:mainly|mostly|chiefly|primarily|basically|generally|really|actually))? "
    r"(?:say|cover|discuss|talk about|report|describe|deal with|tell us|tell me)\s*\??\s*$"
    r"|^\s*(?:what|which) (?:topics?|themes?|subjects?) (?:does|do|did) (?:the|this|it)\b"
    r"|^\s*(?:describe|explain|outline) (?:the|this) (?:article|document|text|story|report)"
    r"\s*[.?]?\s*$"
    r"|^\s*tell me (?:about|what) (?:the|this) (?:article|document|text|story|report)\b"
    r"|^\s*(?:what are|give me|list|show me) (?:the )?(?:key |main )?highlights\b"
    r"|\b(?:synopsis|rundown|run-down|lowdown|briefing)\b"
    r"|^\s*what(?:'s| is) (?:the )?(?:purpose|point) of (?:the|this) "
    r"(?:article|document|text|story|report|piece)\s*\??\s*$"
    r"|^\s*what(?:'s| is) going on in (?:the|this) (?:article|document|text|story|report)\b"
    # "What does the article say about X?", "Summarise how the article describes X": a summary
    # of what it says of X (a question for one fact of X is asked otherwise)
    r"|^\s*what (?:does|do|did) (?:the|this) (?:article|document|text|story|report|piece|page) "
    r"(?:say|tell us|tell me|report|write|cover) about\b"
)
# How long a summary should be: "in a few sentences", "in one line", "in three words"
_IN_FEW_WORDS = (
    r"in (?:a few|a couple of|one|a|two|three|four|five|some|few) (?:words?|sentences?|lines?)"
)
# Words before or after a summary request that change nothing: "Briefly, what does it say?"
_SUMMARY_LEAD = re.compile(
    r"^\s*(?:(?:briefly|in short|in brief|quickly|so|ok|okay|and|then"
    rf"|{_IN_FEW_WORDS}),?\s+)+"
)
_SUMMARY_TAIL = re.compile(
    r",?\s+(?:overall|in general|in short|in brief|briefly|mainly|mostly|exactly|basically|"
    rf"{_IN_FEW_WORDS})\s*(\??)\s*$"
)
_COMPARATIVE = (
    r"more|less|fewer|larger|bigger|greater|higher|smaller|lower|earlier|later|longer|shorter"
)
_LESS = {"less", "fewer", "smaller", "lower", "shorter"}
_TIME = {"earlier": "earlier", "later": "later", "first": "earlier", "sooner": "earlier"}
_THAN = re.compile(rf"\b({_COMPARATIVE})\b(.*?)\bthan\b(.*)$")
_WHICH = re.compile(
    rf"^\s*(?:which|what|who)\b(.*?)\b({_COMPARATIVE}|first|sooner|most|least)\b"
    r"([^,:]*?)[,:]\s*(?:the )?([^:]+?),?\s+or\s+(.+?)\s*\??$"
)
_MORE_DIFF = re.compile(
    r"\bhow (?:many|much) (more|fewer|less|higher|lower|larger|bigger|greater|smaller)\b"
    r"(.*?)\bthan\b(.*)$"
)
_CHANGE = re.compile(
    r"\bpercent(?:age)? (?:change|difference|increase|decrease|growth)\b.*?"
    r"\b(?:between|from|of)\b(.*)$"
)
_DIFFERENCE = re.compile(r"\b(?:difference|gap) (?:between|of)\b(.*)$")
_TOTAL = re.compile(
    r"\b(?:in total|total|altogether|combined|in all(?=\s*\??$)|sum of|together(?! with)|"
    r"add(?:ed)? up|plus)\b"
)
_PER = re.compile(
    r"\b(?:how (?:many|much)|average (?:number|amount|count) of)\b(.*?)"
    r"\b(?:per|for each|for every|a)\b(.+?)(?:\bon average\b|$)"
)
# "About how many X per Y?": a rough figure is asked for, so a rate worked out, not a stated one.
_ROUGHLY = re.compile(
    r"\b(?:about|around|roughly|approximately|approx\.?|nearly|more or less) how (?:many|much)\b"
    r"|\bhow (?:many|much)\b.*\b(?:roughly|approximately|more or less)\b"
)
_PER_SAID = re.compile(
    r"\b(?:how (?:many|much)|average (?:number|amount|count) of)\b(.*?)"
    r"\b(?:per|for each|for every)\b(.+?)(?:\bon average\b|$)"
)
_AVERAGE = re.compile(r"\b(?:on average|average number of|average|mean)\b")
# A sum or a mean is asked for by a question for a quantity, not by "What science city is
# the area building together with the centre?" or "Which firms combined ...?".
_QUANTITY = re.compile(
    r"\bhow (?:many|much)\b|\bwhat(?:'s| is| was| are| were)? (?:the |their |its )?"
    r"(?:total|sum|combined|overall|average|mean|number|amount|value|count)\b"
    r"|^\s*(?:and )?(?:the )?(?:total|sum|combined|average|mean)\b|\b(?:in total|altogether)\s*\??$"
)
_BEFORE = re.compile(
    r"\b(?:before|prior to|without) (?:the |its |that |this )?(?:[\d.]+ ?(?:%|percent) )?"
    r"(?:rise|increase|growth|jump|gain|drop|fall|decline|decrease|change)\b"
)
# Days between two dates: "how many days between X and Y", "from X to Y", "how many days
# apart were X and Y", "how many days after X did Y"; each pattern: (unit, first, second).
_DAYS = (
    re.compile(r"\bhow (?:many|long)\b.*?\b(days|weeks|months)\b.*?\bbetween\b(.*?)\band\b(.*)$"),
    re.compile(r"\bhow (?:many|long)\b.*?\b(days|weeks|months)\b.*?\bfrom\b(.*?)\bto\b(.*)$"),
    re.compile(
        r"\bhow (?:many|long)\b(?: \w+)?? (days|weeks|months) (?:apart|separated?)\b"
        r"(?: (?:are|were|was|is|did))?(.*?)\band\b(.*)$"
    ),
    re.compile(
        r"\bhow (?:many|long)\b(?: \w+)?? (days|weeks|months) (?:after|before|later than"
        r"|earlier than) (.*?) (?:did|was|were|does|do|is|are|had|has|have) (.*)$"
    ),
)
# ...and of the two dates the conversation asked for: "How many days apart were those two
# events?", "How many days passed between the two?"
_FOLLOW_DAYS = re.compile(
    r"^\s*(?:(?:and|so|then),? )*how (?:many|long)(?: \w+)?? (days|weeks|months)\b"
    r"(?: (?:apart|separated?|passed|elapsed|went by|lie|lay))?"
    r"(?: (?:are|were|was|is|did|do|does|have|has|had))?"
    r"(?: (?:between|separate|separated))?"
    r" (?:them|they|these|those|the two|both|these two|those two)"
    r"(?: (?:events?|dates?|things|days|ones))?"
    r"(?: (?:apart|separated?|happen|occur|take place))?\s*\??$"
)
_SUPERLATIVE_WORDS = (
    r"largest|biggest|highest|greatest|smallest|lowest|least|fewest|earliest|latest|"
    r"most recent|maximum|minimum|top"
)
_MIN = {"smallest", "lowest", "least", "fewest", "earliest", "minimum"}
_KIND_WORDS = (
    r"number|count|figure|amount|sum|value|percentage|percent|date|money(?: figure)?|"
    r"monetary (?:figure|amount|value)|total|day|ordinal(?: number)?"
)
# "What is the largest count in the article?": the superlative figure is what is asked for,
# and little else is said about it (so "What is the minimum percent of alcohol a law
# requires ...?", which asks for one stated figure, is not a question about the table).
_SUPERLATIVE = re.compile(
    r"^\s*(?:(?:what|which)(?:'s| is| was| are| were)?|give me|name|tell me|list) (?:the |a )?"
    rf"({_SUPERLATIVE_WORDS})\b ((?:(?:specific|exact|particular|single|individual|actual|"
    rf"calendar) )*(?:\w+ )?(?:{_KIND_WORDS}))\b(.*)$"
)
# "the three largest", "top 5": how many of a superlative are asked for (two to ten)
_NUMBER_WORDS = {w: n for w, n in CARDINALS.items() if 2 <= n <= 10}
_N = "|".join(_NUMBER_WORDS) + r"|[2-9]|10"
_TOP_N = re.compile(
    r"^\s*(?:(?:what|which)(?:'s| is| are| were)?|give me|name|tell me|list|show me)?\s*"
    rf"(?:the )?(?:(?:top )?({_N}) ({_SUPERLATIVE_WORDS}|most|greatest|biggest)|top ({_N}))"
    rf" (?P<kind>(?:\w+ )?(?:{_KIND_WORDS})s?)\b(.*)$"
)
ABOUT_DOCUMENT = re.compile(
    r"\b(?:in|of|from) (?:the|this) (?:article|document|text|report|story|corpus)\b"
    r"|\b(?:mentioned|given|stated|listed|reported|cited|quoted|used|written|there|anywhere"
    r"|at all)\b"
    r"|\b(?:that |which )?(?:appears?|appeared|occurs?|occurred|comes? up|shows? up)\b"
)
MAX_SUPERLATIVE_WORDS = 2
# "What's the latest dated event in the article?", "Which event came first?": an event is
# known by its date, so the fact with the greatest (smallest) date, said with its sentence.
_LATEST_EVENT = re.compile(
    r"^\s*(?:what|which)(?:'s| is| was| are| were)? (?:the )?(latest|earliest|most recent|"
    r"oldest|newest|last|first)(?: (?:dated|recorded|mentioned|reported|listed))? "
    r"(?:event|happening|development|occurrence|milestone)s?\b(.*)$"
)
_WHICH_HAS = re.compile(
    rf"^\s*(?:which|what) (\w+) (?:has|have|had|gives|gets|is given|mentions) "
    rf"(?:a|an|any|the)? ?((?:\w+ )?(?:{_KIND_WORDS}))\b"
)

# A tag after a statement makes it a yes/no question: "X, right?", "X, isn't it?".
_TAG = re.compile(
    r",\s*(?:(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could)(?:n't| not)? "
    r"(?:it|they|he|she|that|there|this|we|you|i|these|those)|right|correct|true|yes|no|yeah|eh"
    r"|ok|okay|(?:is|isn't) (?:that|it) (?:right|so|true|correct)|am i right|yes or no"
    r"|did i get (?:that|it) right)\s*[?.!]*\s*$"
)
# A statement put to be confirmed: "Is it true that X?", "Can you confirm that X?".
_CONFIRM = re.compile(
    r"^\s*(?:(?:so|and|but|ok|okay),? )?(?:is it (?:true|correct|right|the case|so) that"
    r"|am i (?:right|correct) (?:that|in (?:saying|thinking) that|to (?:say|think) that)"
    r"|(?:would|is) it (?:be )?(?:right|correct|true|fair|accurate) to say(?: that)?"
    r"|(?:can|could) you (?:confirm|check|verify)(?: that| whether| if)?"
    r"|please (?:confirm|check|verify)(?: that| whether| if)?"
    r"|(?:true|correct|right) that|true or false:?|it's true that|is this (?:true|correct|right):)"
    r"\s+(.+)$"
)
_WH = re.compile(r"^\s*(?:what|which|who|whom|whose|when|where|why|how)\b")
_ANY_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b")
# A statement with a bare tag, no comma before it: "X true?", "X correct?", "X, yes or no?".
_BARE_TAG = re.compile(r"\s+(?:true|correct|yes or no|true or false|or not)\s*\?+\s*$")
# A statement whose copula is left out before "one of" or "among": "X one of the Y?" asks
# "Is X one of the Y?" (the question mark is what makes it a question).
_DROPPED_COPULA = re.compile(r"^\s*\S+(?: \S+){0,5}? (?:one of|part of) (?:the|its|their) .*\?\s*$")
# "How many times as many X as Y", "how many times larger is X than Y": a ratio.
_TIMES = re.compile(
    r"\bhow many times (?:as (?:many|much|large|big|high|great|long)|more|larger|bigger|"
    r"greater|higher|longer)\b(.*?)\b(?:as|than)\b(.*)$"
)
_TIMES_OF = re.compile(
    r"\bhow many times (?:the |as (?:many|much) as )?(?:number of )?(.+?) (?:is|are|was|were) "
    r"(that|it|this|they|those)\s*\??$"
    r"|^\s*(?:and |so )?(.+?) (?:is|are|was|were) how many times (?:as (?:many|much|large|big) as "
    r"|the (?:number of )?)?(.+)$"
)
# "And how many times as many X are there?": X against what the turn before asked about.
_TIMES_BARE = re.compile(
    r"\bhow many times as (?:many|much) (.+?)(?: (?:are|is|were|was) there"
    r"| (?:does|do|did|has|have) (?:it|they|he|she|\w+) (?:have|had|got|gotten))?\s*\??$"
)
_FOLLOW_RATIO = re.compile(
    r"^\s*(?:(?:and|so|then),? )*(?:what(?:'s| is| was) )?the ratio(?: between (?:them|the two)|"
    r" of the two| of (?:them|those|these))?\s*\??$"
)
_RATIO = re.compile(
    r"(?<!-)\bratio (?:of|between)\b(.*?)\b(?:to|and)\b(.*)$"
    r"|\bby what (?:factor|multiple) (?:do|does|did|is|are|was|were|has|have)\b(.*?)\b(?:outnumber"
    r"|exceed|surpass|outstrip|(?:\w+ )?(?:more|larger|bigger|greater|higher) than)\b(.*)$"
)
# A time "a year earlier": the value before a stated change is asked for.
_YEAR_EARLIER = re.compile(
    r"\b(?:the (?:year|period|time) before|a year (?:earlier|before|ago)"
    r"|(?:the )?(?:previous|prior|preceding) year|the year-earlier(?: period)?"
    r"|(?:the )?same (?:period|time|months?) (?:of |in )?(?:the )?(?:year before|previous year|"
    r"prior year|last year|a year (?:earlier|before|ago)))"
)
# "By how many billion yuan did X grow?": an amount of change, not the stated percentage.
_GROWTH_VERB = (
    r"(?:grow|grown|rise|risen|increase|increased|go up|gone up|climb|gain|jump|fall|fallen|"
    r"drop|decline|decrease|shrink|go down)"
)
_GROWTH_AMOUNT = re.compile(
    r"\bby (?:(?:roughly|about|around|approximately|nearly|almost) )?how "
    r"(?:many (?!percent|percentage|%|times)[a-z$€£¥][\w$€£¥ ]*?|much money)\s+"
    rf"(?:did|does|has|had|was|were|is|are)\b.*?\b{_GROWTH_VERB}\b"
    r"|\bhow (?:many (?!percent|percentage|%|times)[a-z$€£¥][\w$€£¥ ]*?|much money)\s+"
    rf"(?:did|does|has|had)\b.*?\b{_GROWTH_VERB} by\s*\??$"
    rf"|\bhow much\b.*?\b{_GROWTH_VERB}\b(?: by)? in (?:absolute terms|money terms|cny|yuan|rmb|"
    r"usd|dollars|us dollars|euros?|eur|pounds|gbp|yen)"
    # "... in cny compared with last year": the time it grew from, said after the unit
    r"(?:,? (?:compared (?:with|to)|(?:as )?against|over|from|since|versus|vs\.?) [^?]*)?\s*\??$"
    # "In absolute terms, how much did X increase …?", "the absolute increase in X"
    rf"|\bin (?:absolute|money|value|cash) terms\b.*?\bhow much\b.*?\b{_GROWTH_VERB}\b"
    rf"|\bhow much\b.*?\b{_GROWTH_VERB}\b.*?\bin (?:absolute|money|value|cash) terms\b"
    r"|\bhow much,? in (?:absolute|money|value|cash) terms,? (?:did|does|has|had)\b"
    rf".*?\b{_GROWTH_VERB}\b"
    r"|\b(?:what|how (?:much|large|big)) (?:was|is|were) the absolute (?:increase|rise|growth|gain"
    r"|change|fall|drop|decline|decrease)\b"
)
# What says the form of the amount asked, or restates the rate it is worked from, and nothing
# about what grew: "in absolute terms", ", based on the 12.9% increase".
_GROWTH_FORM = re.compile(
    r",?\s*\bin (?:absolute|money|value|cash) terms\b,?"
    rf"|,?\s*\b(?:based on|given|going by|using|from) (?:the |a |its |that )?\d[\d.]*\s*%"
    rf"(?: {_GROWTH_VERB}| growth| rise| gain)?(?=\s*[?.,]|\s*$)"
)
# "By (roughly) how much did X grow ...": the size of a change, beside a time it grew from.
_BY_HOW_MUCH = re.compile(
    r"\bby (?:(?:roughly|about|around|approximately|nearly|almost) )?how much\s+"
    rf"(?:did|does|has|had|was|were|is|are)\b.*?\b{_GROWTH_VERB}\b"
)
_IN_PERCENT = re.compile(r"\b(?:in |as a )?(?:percent|percentage|per cent)\b|%\s*\??\s*$")
# "the average monthly value", "per month on average": a value over months, per month.
_MONTHLY = re.compile(r"\b(?:monthly|per month|a month|each month|every month)\b")
# An ordinal, and how many came before it: "the 13th ... how many had been approved before it?"
_BEFORE_ORDINAL = re.compile(
    r"\bhow many\b(?:(?!\b(?:days|weeks|months|years|hours)\b).)*\b"
    r"(?:before (?:it|that|this|him|her|them)|earlier ones?|preceded (?:it|that|this)|before"
    r"|before (?:the )?(?:\d[\d,]*(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth)(?: [a-z]+){0,3}|before [\w-]+'s(?: one)?)"
    r"(?: (?:in|at|by|for) [\w -]+?)?\s*\??$"  # "… before Myanmar's in Chongqing?"
)
# A choice among options listed after a colon or comma: "which is the smallest: A, B, or C?"
_CHOICE_WORDS = (
    rf"{_COMPARATIVE}|first|sooner|most|least|fewest|largest|biggest|highest|greatest|"
    r"smallest|lowest|earliest|latest|last"
)
_CHOICE = re.compile(
    rf"^\s*(?:which|what|who)\b(.*?)\b({_CHOICE_WORDS})\b([^,:]*?)[,:]\s*(.+?)\s*\??$"
)
# "A vs B, which is more?", "Between A and B, which is larger?", "A or B: which came first?"
_CHOICE_AFTER = re.compile(
    r"^\s*(?:between (?P<a>.+?) and (?P<b>.+?)|(?P<c>.+?)\s+(?:vs\.?|versus|or)\s+(?P<d>.+?))"
    rf"\s*[,:;?]\s*(?:which|what|who)\b(?:(?![,:]).)*?\b(?P<w>{_CHOICE_WORDS})\b"
)
# Keywords: "A vs B which first" -- the same choice without its punctuation.
_CHOICE_VS = re.compile(
    r"^\s*(?P<c>.+?)\s+(?:vs\.?|versus)\s+(?P<d>.+?)\s*[,:;?]?\s*(?:which|what|who)\b"
    rf"(?:(?![,:]).)*?\b(?P<w>{_CHOICE_WORDS})\b"
)
# "Among A, B, and C, which figure is the largest?": the options listed before the question
# word; "figure", "number", "one" say what kind of answer, not a topic.
_AMONG_CHOICE = re.compile(
    r"^\s*(?:among|of|out of|from) (?P<list>.+?),?\s+(?:which|what)"
    r"(?: (?:one|figure|number|value|amount|count|total|of (?:them|these|those|the \w+)))?"
    r"(?: (?:is|was|are|were|has|had|comes|came|is given|gives))? (?:the )?"
    rf"(?P<w>{_CHOICE_WORDS})\b(?P<rest>[^,;]*)$"
)
# "Are there more A or more B?", "Does it have fewer A or fewer B?": the comparative said of
# both options (the second time it may be left out only when the first is "more A or B" with
# "than" nowhere: "more than 50 A or B" is a bound).
_MORE_OR_MORE = re.compile(
    r"^\s*(?:(?:so|and),? )?(?:are|were|is|was) there (?P<w>more|fewer|less) "
    r"(?P<a>(?:(?!\bthan\b)[^\d])+?)"
    r",? or (?:(?P=w) )(?P<b>(?:(?!\bthan\b)[^\d])+?)\s*\??$"
)
# "How many X does the article list (name, mention)?", "How many X are listed?": the items.
_COUNT_LISTED = re.compile(
    r"^\s*(?:and |so )?how many (.+?) (?:does|do|did) (?:the |this |that )?(?:article|text|report|"
    r"document|story|piece|passage|page|it|they) (?:list|name|mention|cite|enumerate|give as "
    r"examples)\b"
    r"|^\s*(?:and |so )?how many (.+?) (?:are|were|get|got) (?:listed|named|enumerated|given as "
    r"examples)\b"
)
_EARLY = {"first", "sooner", "earlier", "earliest"}
_LATE = {"later", "latest", "last"}
_SMALL = {"less", "fewer", "smaller", "lower", "shorter", "least", "fewest", "smallest", "lowest"}
# A side that only points back ("that", "it", "this number") names what was asked before.
REFERRING = re.compile(
    r"^\s*(?:(?:is|was|are|were) )?(?:the )?(?:that|it|this|these|those|them|they|one|ones"
    r"|the (?:previous|last|same) one"
    r"|(?:that|this|the) (?:number|figure|count|amount|value|total|one))\s*$"
)
# A follow-up that is only an operation on what was asked before.
_FOLLOW_PER = re.compile(
    r"^\s*(?:(?=(?:per|for each|for every) )"
    r"|(?:(?:and|so|then|but|what about|how about|and what about),? )+"
    r"(?:(?:how (?:many|much)|what)(?: is| was|'s)?(?: (?:it|that|this|they|them))? )?"
    r"|(?:how (?:many|much)|what)(?: is| was|'s) (?:it|that|this|they|them) )"
    r"(?:on average )?(?:per|for each|for every|each) ([a-z][\w'-]*(?: [a-z][\w'-]*){0,2}?)"
    r"\s*(?:on average)?\s*\??$"
)
# The last two turns' figures, referred back to: "them", "those two numbers", "both figures".
_THE_TWO = (
    r"(?:them|both|(?:the|those|these) two|those|these|both(?: of (?:them|the \w+))?)"
    r"(?: (?:numbers|figures|counts|values|amounts|totals))?"
)
_FOLLOW_DIFF = re.compile(
    r"^\s*(?:(?:and|so|then),? )*(?:(?:what(?:'s| is| was) )?the (?:difference|gap)(?: between "
    rf"{_THE_TWO})?|how (?:much|many) (?:more|bigger|larger) is (?:it|that)"
    r"|how (?:much|far) apart are they|by how much do they differ)\s*\??$"
)
# "And the two combined?", "What do they add up to?": the last two turns, added.
_FOLLOW_SUM = re.compile(
    r"^\s*(?:(?:and|so|then),? )*(?:(?:what(?:'s| is| are) )?(?:the (?:two|both)|both|them|those|"
    r"these|all of them|their (?:sum|total))"
    r"(?: (?:combined|together|in total|altogether|added up))?"
    r"|what do (?:they|the two|both|those) (?:add|sum) up to|(?:in total|altogether|combined)"
    rf"|(?:what(?:'s| is) )?the (?:sum|total) of {_THE_TWO}|add {_THE_TWO} up|add up {_THE_TWO})"
    r"\s*[?.]*$"
)
# "And together with the friendship cities?", "Plus the countries?": added to the turn before.
_FOLLOW_WITH = re.compile(
    r"^\s*(?:(?:and|so|then),? )*(?:together with|plus|adding|added to|combined with|including)"
    r" (?!that\b|it\b|this\b)(.+?)\s*\??$"
)
# "And a year earlier?": the value before the stated change, of what was asked before.
_FOLLOW_EARLIER = re.compile(
    r"^\s*(?:(?:and|so|then|what about|how about),? )*(?:in |for )?(?:the )?(?:a year (?:earlier|"
    r"before|ago)|(?:the )?(?:year|period) before|(?:the )?(?:previous|prior|preceding) year"
    r"|before (?:the|that|its) (?:rise|increase|growth|jump|gain|drop|fall|decline|decrease"
    r"|change))"
    r"\s*\??$"
)
# A pronoun that stands for what was asked before ("is that", "than that", "them"), not a
# relative or a determiner ("the notes that were issued", "that year").
_REFERS = re.compile(
    r"\b(?:is|are|was|were|be|would|will|does|did|makes?|gives?|of|than|with|to|from|for|about)"
    r"\s+"
    r"(?:that|it|this|these|those|them)\b(?!\s+(?:year|month|period|one|time|figure)s?\b)"
    r"|\b(?:them|the two|the previous)\b"
    r"|\b(?:that|it|this)\s*(?:in total|altogether|combined|together|per\b|\?|$)"
)
_ADDING = re.compile(r"\b(?:adding|add|plus|with|including|together with)\b")


# Search-box queries (no question word, no auxiliary verb) that ask for a step of reasoning.
_KW_DIFFERENCE = re.compile(
    r"^\s*(?:(?:the )?(?:difference|gap)(?: between| of| in)? (?P<x>.+?)|(?P<x2>.+?) (?:difference"
    r"|gap)|(?P<x3>.+? minus .+?))\s*\??\s*$"
)
_KW_PLUS = re.compile(r"^\s*(?:the )?(.+?) (?:plus|\+) (.+?)\s*\??\s*$")
_KW_PER = re.compile(
    r"^\s*(?:the )?(?:average|mean) (?:number of )?(.+?) (?:per|for each|for every) "
    r"(.+?)\s*\??\s*$"
)
# A statement ending in a number that is not a year, as a question: "X routes 180?"
# ...or, after a word of quantity, with the noun it counts ("jiangbei airport over 100
# international routes?"); not a name with a number ("covid 19 deaths?", "boeing 737
# crashes?"), a period ("first 5 months") nor a rank ("top 10")
_KW_CLAIM = re.compile(
    r"^.*\D(?!(?:1[89]|20)\d\d\b)\d[\d,.]*\s*(?:%|percent)?\s*\?\s*$"
    r"|^.*\b(?:over|more than|less than|fewer than|under|about|around|nearly|almost|at least"
    r"|at most|exactly|only|some|roughly) (?!(?:1[89]|20)\d\d\b)\d[\d,.]*\s*(?:%|percent)?"
    r"(?:\s+(?!(?:days?|weeks?|months?|years?|quarters?)\b)[a-z][\w'-]*){1,3}\s*\?\s*$"
)
_KW_SPLIT = re.compile(
    r"\s+(?:vs\.?|versus|and|minus|against|compared to|compared with)\s+|\s*[,/]\s*"
)


def _keyword_sides(body: str) -> tuple[str, str] | None:
    """'ports vs countries' -> (ports, countries): two sides said apart ('yangtze river' is
    one thing, not two)."""
    parts = [p.strip(" ?") for p in _KW_SPLIT.split(body.strip(" ?")) if p.strip(" ?")]
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _few_words(rest: str) -> bool:
    from ..question import GENERIC

    rest = ABOUT_DOCUMENT.sub(" ", rest)
    content = [w for w in re.findall(r"[a-z][\w'-]*", rest) if w not in GENERIC]
    return len(content) <= MAX_SUPERLATIVE_WORDS


def _content(rest: str) -> list[str]:
    """The words after a superlative that say which ('held at the pier'), beyond where
    ('in the article', 'mentioned'); [] when nothing narrows it."""
    from ..question import GENERIC

    rest = ABOUT_DOCUMENT.sub(" ", rest)
    return [w for w in re.findall(r"[a-z][\w'-]*", rest) if w not in GENERIC]


_KINDS_PLURAL = rf"(?:{_KIND_WORDS})s?"
_SUPERLATIVE_MORE = rf"{_SUPERLATIVE_WORDS}|most|greatest|newest|oldest"
_MOST_RECENT = {"latest", "most recent", "newest"}
# "Of the dates in the article, which is the latest?"
_SUP_OF = re.compile(
    rf"^\s*(?:of|among|out of|from) (?:all )?(?:the )?((?:\w+ ){{0,2}}?{_KINDS_PLURAL})\b(.*?),?"
    rf"\s*(?:which|what)(?: one)?(?: is| was| are| were| comes| came)? (?:the )?"
    rf"({_SUPERLATIVE_MORE})\b(.*)$"
)
# "Which date in the article is the latest?", "What number is the highest?"
_SUP_WHICH_IS = re.compile(
    rf"^\s*(?:which|what) ((?:\w+ ){{0,2}}?{_KINDS_PLURAL})\b(.*?)\b(?:is|was|are|were) "
    rf"(?:the )?({_SUPERLATIVE_MORE})\b(.*)$"
)
# Keywords: "largest count mentioned in the article", "the most recent date".
_SUP_BARE = re.compile(rf"^\s*(?:the )?({_SUPERLATIVE_MORE}) ((?:\w+ )?{_KINDS_PLURAL})\b(.*)$")


# "How does the number of ports compare with the number of countries?": both, and which way.
_COMPARE_WITH = re.compile(
    r"^\s*(?:and )?how (?:does|do|did|would) (.+?) compare (?:with|to|against) (.+?)\s*\??$"
)
# "Which district introduced the most enterprises?": among the places of that kind.
_WHICH_MOST = re.compile(
    rf"^\s*(?:which|what) (\w+) ((?:\w+ ){{0,3}}?)(?:the )?({_SUPERLATIVE_MORE})\b(?! of\b)"
    r"([^,;]*)$"
)


_RANKS = "second|third|fourth|fifth|2nd|3rd|4th|5th|next"
_NOT_CATEGORY = frozenset("is was are were one ones number figure of do does did has have".split())


def _superlative_op(word: str) -> str:
    if word in _MOST_RECENT:
        return "max"
    return "min" if word in _MIN or word == "oldest" else "max"


def _kind_word(phrase: str) -> str:
    """'specific calendar dates' -> 'specific calendar date': the kind, in the singular."""
    return re.sub(r"s$", "", phrase) if not phrase.endswith("ss") else phrase


def _choice_op(word: str, after: str = "") -> str:
    if word in ("most", "least") and re.match(r"\s*recent(?:ly)?\b", after):
        return "later" if word == "most" else "earlier"  # "which happened most recently"
    if word in _EARLY:
        return "earlier"
    if word in _LATE:
        return "later"
    return "less" if word in _SMALL else "greater"


# "than 50 …", "than about 300": a comparative that bounds a figure, not one between options.
_BOUND_AFTER = re.compile(r"\s*than\s+(?:about |around |nearly |some )?(?:\d|one\b|two\b|ten\b)")
# "Which X did Y, A or B?": which of the options the rest of the question holds of.
_WHICH_OR = re.compile(
    r"^\s*(?:which|who)\s+(?P<pred>[^,:;]+?)\s*[,:;]\s*(?:the )?(?P<opts>[^,:;]+?(?:,[^,:;]+?)*"
    r",?\s+or\s+[^,:;]+?)\s*\??$"
)
# What the question word's noun may be ("which district", "which one of them"): the kind
# the options are, left out of what is claimed of each.
_CHOICE_HEAD = re.compile(
    r"^(?:one(?: of (?:them|these|those|the two))?|of (?:them|these|those|the two)|"
    r"(?:country|nation|city|town|district|province|region|area|county|state|place|company|firm"
    r"|enterprise|organization|organisation|event|project|year|month|day|date|person|one)s?)\s+"
)


def _holds(predicate: str, options: list[str]) -> Shape | None:
    """Which of the options a statement holds of: each option's claim is checked as a yes/no
    statement, and the one the documents support is the answer."""
    claim = _CHOICE_HEAD.sub("", predicate.strip(), count=1)
    if len(options) < 2 or not claim or claim == predicate.strip() and " " not in claim:
        return None
    return Shape("comparison", op="holds", sides=tuple(options), claim=claim)


def _options(text: str) -> list[str]:
    """'A, B, or C' -> [A, B, C]; an option is never empty."""
    parts = re.split(r"(?:,(?!\d)|(?<!\d),)\s*(?:or\s+)?|\s+or\s+", text.strip(" ?"))
    return [p.strip(" ,") for p in parts if p.strip(" ,")]


def _listed(text: str) -> list[str]:
    """'A, B and C' -> [A, B, C]: split at commas when there are any (an option may say 'and'
    itself: 'its countries and regions'), else at 'and' / 'or'."""
    if "," in text:
        parts = re.split(r"(?<!\d),|,(?!\d)", text)
    else:
        parts = re.split(r"\s+(?:and|or)\s+", text)
    parts = [re.sub(r"^\s*(?:and|or)\s+", "", p).strip(" ,") for p in parts]
    return [p for p in parts if p]


def shape_of(question: str) -> Shape | None:
    """The reasoning shape of an English question, or None when it has none."""
    said = re.sub(r"\s+", " ", normalize_apostrophes(question).strip())
    said = re.sub(r"\s+[—–]+\s+|\s+-{1,2}\s+", ": ", said)  # "Which is bigger — A or B?"
    text = said.lower()
    if len(text) != len(said):  # a letter whose lower case is longer: offsets would drift
        said = text
    m = _REMARK.match(text)
    while m and not _ABBREVIATION.search(m.group(1)):  # "Cool. And what is it about?"
        text, said = text[m.end() :], said[m.end() :]
        m = _REMARK.match(text)
    return _shape(text, said)


# A short remark before the question, ended by its own full stop or exclamation mark ("Cool.",
# "Thanks!", "OK, great."): the question is what follows it.
_REMARK = re.compile(r"^\s*([a-z']+(?:,? [a-z']+){0,2})\s*[.!]+\s+(?=[a-z])")
# ...unless the full stop ends an abbreviation ("Mr. Li", "St. Louis", "No. 5").
_ABBREVIATION = re.compile(
    r"\b(?:mr|mrs|ms|dr|st|jr|sr|no|vs|inc|co|ltd|mt|ft|gen|gov|prof|rev|sen|rep|approx|e\.g|i\.e"
    r"|u\.s|[a-z])$"
)


def _shape(text: str, said: str) -> Shape | None:
    """`text` lower-cased, `said` as written (same offsets): options and claims keep the
    user's own words and capitals."""
    bare = _SUMMARY_TAIL.sub(r"\1", _SUMMARY_LEAD.sub("", text))
    if _SUMMARY.search(text) or _SUMMARY.search(bare):
        return Shape("summary", sides=(_summary_topic(text),))
    m = _COUNT_LISTED.match(text)
    if m:  # "How many fairs does the article list?": the items of a list, counted
        return Shape("arithmetic", op="listed", sides=((m.group(1) or m.group(2)).strip(),))
    m = _MORE_OR_MORE.match(text)
    if m:  # "Are there more A or more B?": which of the two is more, not a yes/no question
        op = "less" if m.group("w") in _SMALL else "greater"
        sides = (said[m.start("a") : m.end("a")], said[m.start("b") : m.end("b")])
        return Shape("comparison", op=op, sides=tuple(x.strip(" ,") for x in sides))
    m = _AMONG_CHOICE.match(text)
    options = _listed(said[m.start("list") : m.end("list")]) if m else []
    if m and len(options) >= 2 and not _content(m.group("rest")):
        op = _choice_op(m.group("w"), m.group("rest"))
        return Shape("comparison", op=op, sides=tuple(options))
    m = _TOP_N.search(text)
    if m and not _THAN.search(text) and _few_words(m.group(5)):
        # "What are the three largest counts?", "the top 3 figures": the N first, in order
        n = m.group(1) or m.group(3)
        return Shape(
            "superlative",
            op=_superlative_op(m.group(2) or "top"),
            kind_word=_kind_word(m.group("kind")),
            sides=(m.group(5).strip(" ?"),),
            claim=str(_NUMBER_WORDS.get(n, n)),
        )
    m = _LATEST_EVENT.search(text)
    if m and not _content(m.group(2)):  # "What's the latest dated event?": the greatest date
        op = "min" if m.group(1) in ("earliest", "first", "oldest") else "max"
        return Shape("superlative", op=op, kind_word="event date", sides=(m.group(2).strip(" ?"),))
    m = _SUPERLATIVE.search(text)
    if m and not _THAN.search(text) and _few_words(m.group(3)):
        op = "min" if m.group(1) in _MIN else "max"
        if m.group(1) in ("latest", "most recent"):
            op = "max"
        return Shape("superlative", op=op, kind_word=m.group(2), sides=(m.group(3).strip(" ?"),))
    for pattern, kind_at, word_at, rest_at in (
        (_SUP_OF, 1, 3, (2, 4)),
        (_SUP_WHICH_IS, 1, 3, (2, 4)),
        (_SUP_BARE, 2, 1, (3,)),
    ):
        m = pattern.search(text)
        rest = " ".join(m.group(i) for i in rest_at) if m else ""
        if m and not _THAN.search(text) and _few_words(rest):
            word = m.group(word_at)
            kind = m.group(kind_at)
            few = re.match(rf"(?:the )?({_N}) ", kind)  # "Which two counts are the largest?"
            n = str(_NUMBER_WORDS.get(few.group(1), few.group(1))) if few else ""
            return Shape(
                "superlative",
                op=_superlative_op(word),
                kind_word=_kind_word(kind[few.end() :] if few else kind),
                sides=(rest.strip(" ?,"),),
                claim=n,
            )
    m = _WHICH_HAS.search(text)
    if m and m.group(1) not in ("is", "was", "are", "number", "figure"):
        return Shape("superlative", op="all", kind_word=m.group(2), category=m.group(1))
    m = _CONFIRM.match(text)
    if m and not _WH.match(m.group(1)):
        return _statement(m.group(1), said[m.start(1) :])
    m = _TAG.search(text)
    if m and not _WH.match(text):
        if _POLAR.match(text):  # "Is it the largest, isn't it?": the question without its tag
            text, said = text[: m.start()], said[: m.start()]
        else:
            lead = re.match(r"^\s*(?:(?:so|and|but|then|ok|okay|oh),? )*", text).end()
            return _statement(text[lead : m.start()], said[lead : m.start()])
    m = _BARE_TAG.search(text) or _DROPPED_COPULA.search(text)
    if m and not _WH.match(text) and not _POLAR.match(text) and not _ANY_WH.search(text):
        # "jiangbei airport 118 routes true?", "capitaland one of the new firms?": a statement
        end = m.start() if m.re is _BARE_TAG else len(text)
        lead = re.match(r"^\s*(?:(?:so|and|but|then|ok|okay|oh),? )*", text).end()
        if len(text[lead:end].split()) >= 2:
            return _statement(text[lead:end], said[lead:end])
    m = _FOLLOW_DAYS.match(text)
    if m:  # "How many days apart were those two events?": the last two turns' dates
        return Shape("arithmetic", op="days", sides=("", ""), kind_word=m.group(1))
    m = next((m for m in (p.search(text) for p in _DAYS) if m), None)
    if m:
        unit, a, b = m.groups()
        return Shape("arithmetic", op="days", sides=(a.strip(), b.strip(" ?")), kind_word=unit)
    m = _CHANGE.search(text)
    if m:
        return Shape("arithmetic", op="change", sides=(m.group(1).strip(" ?"),))
    if _FOLLOW_RATIO.match(text):  # "What's the ratio?": of the last two turns
        return Shape("arithmetic", op="times", sides=("", ""))
    m = _TIMES_OF.search(text)
    if m:  # "how many times the number of countries is that?", "X is how many times Y?"
        a, b = (m.group(2), m.group(1)) if m.group(1) else (m.group(3), m.group(4))
        return Shape("arithmetic", op="times", sides=(a.strip(" ,?"), b.strip(" ,?")))
    m = _TIMES.search(text) or _RATIO.search(text)
    bare = None if m else _TIMES_BARE.search(text)
    if bare:
        return Shape("arithmetic", op="times", sides=(bare.group(1).strip(" ,"), "that"))
    if m and not re.search(r"\w-to-\w+ ratio\b", text):  # "the power-to-weight ratio": a kind
        a, b = [g for g in m.groups() if g is not None][:2]
        top = re.sub(r"^\s*(?:is|are|was|were|do|does|did|has|have|had)\b", "", a)
        return Shape("arithmetic", op="times", sides=(top.strip(" ,"), b.strip(" ?")))
    if _BY_HOW_MUCH.search(text) and _YEAR_EARLIER.search(text) and not _IN_PERCENT.search(text):
        # "By how much did trade rise compared with a year earlier?": the change in amount
        return Shape("arithmetic", op="increase", sides=(_GROWTH_FORM.sub("", text),))
    if _GROWTH_AMOUNT.search(text) and not re.search(r"\bhow many (?:percent|%)", text):
        return Shape("arithmetic", op="increase", sides=(_GROWTH_FORM.sub("", text),))
    m = _MORE_DIFF.search(text)
    if m:
        if _YEAR_EARLIER.search(m.group(3)):  # "how much more than a year earlier?"
            return Shape("arithmetic", op="increase", sides=(m.group(2).strip(),))
        return Shape(
            "arithmetic",
            op="difference",
            sides=(m.group(2).strip(), m.group(3).strip(" ?")),
            claim="less" if m.group(1) in _LESS | {"less"} else "",
        )
    if _FOLLOW_DIFF.match(text):  # "What's the difference?": between the last two turns
        return Shape("arithmetic", op="difference", sides=("", ""))
    m = _DIFFERENCE.search(text)
    if m:
        return Shape("arithmetic", op="difference", sides=(m.group(1).strip(" ?"),))
    keywords = not _ANY_WH.search(text) and not _POLAR.match(text)  # a search-box query
    m = _KW_DIFFERENCE.match(text) if keywords else None
    if m:  # "ports vs countries difference", "difference ports countries", "ports minus routes"
        g = next(n for n in ("x", "x2", "x3") if m.group(n))
        sides = _keyword_sides(said[m.start(g) : m.end(g)])
        if sides:
            unordered = not re.search(r"\bminus\b", text)
            return Shape("arithmetic", op="difference", sides=sides, claim="unordered" * unordered)
    m = _KW_PLUS.match(text) if keywords else None
    if m:  # "friendship cities plus exchange cities": a sum
        return Shape("arithmetic", op="sum", sides=(f"{m.group(1)} and {m.group(2)}",))
    m = _KW_PER.match(text) if keywords else None
    if m:  # "average ports per country"
        return Shape("arithmetic", op="ratio", sides=(m.group(1).strip(), m.group(2).strip(" ?")))
    m = _KW_CLAIM.match(text) if keywords else None
    if m and len(text.split()) >= 3:  # "jiangbei airport routes 180?": is it 180?
        return _statement(text, said)
    if _BEFORE.search(text):
        return Shape("arithmetic", op="before", sides=(text,))
    if _YEAR_EARLIER.search(text) and re.search(
        r"\b(?:what (?:was|were|would|is|'s)|how (?:many|much))\b", text
    ):
        return Shape("arithmetic", op="before", sides=(text,), claim="year")
    if _MONTHLY.search(text) and (_AVERAGE.search(text) or _REFERS.search(text)):
        return Shape("arithmetic", op="monthly", sides=(_MONTHLY.sub(" ", text),))
    if _BEFORE_ORDINAL.search(text):
        return Shape("arithmetic", op="ordinal_before", sides=(text,))
    if _FOLLOW_SUM.match(text) and re.search(
        r"\b(?:and|so|then|combined|together|total|sum|add|"
        r"altogether)\b",
        text,
    ):
        return Shape("arithmetic", op="sum", sides=("", ""))
    m = _FOLLOW_WITH.match(text)
    if m:  # "And together with the friendship cities?": the turn before, and this
        return Shape("arithmetic", op="sum", sides=(m.group(1).strip(), ""))
    if _FOLLOW_EARLIER.match(text):
        return Shape("arithmetic", op="before", sides=("it",), claim="year")
    m = _FOLLOW_PER.match(text)
    if m:  # "And per country?": what was asked before, per country
        return Shape("arithmetic", op="ratio", sides=("", m.group(1).strip()))
    # "About how many ports per country ...?": a rough figure, so a rate worked out, when "per"
    # is said ("about how many litres does a plant use" asks no rate)
    rough = bool(_ROUGHLY.search(text)) and bool(_PER_SAID.search(text))
    m = _PER_SAID.search(text) if rough else _PER.search(text)
    top = m.group(1).strip() if m else ""
    leaning = REFERRING.match(re.sub(r"^(?:is|are|was|were) ", "", top))
    if m and (
        _AVERAGE.search(text) or leaning or rough or re.search(r"\bfor (?:each|every)\b", text)
    ):
        # "per" alone often asks for a stated rate; "how many is that per country" does not
        if REFERRING.match(re.sub(r"^(?:is|are|was|were) ", "", top)):
            top = ""
        return Shape("arithmetic", op="ratio", sides=(top, m.group(2).strip(" ?")))
    quantity = bool(_QUANTITY.search(text))
    if _AVERAGE.search(text) and " and " in text and quantity and not _POLAR.match(text):
        return Shape("arithmetic", op="mean", sides=(_AVERAGE.sub(" ", text).strip(" ?"),))
    if _TOTAL.search(text) and quantity and not _POLAR.match(text):
        own = _TOTAL.sub(" ", text)
        own = re.sub(r"^\s*(?:(?:and|so|then),? )+", "", own)
        bare = not phrase_words(_ADDING.sub(" ", _REFERS.sub(" ", own)))
        adverb = re.search(r"\b(?:in total|altogether|combined|in all|together)\b", text)
        if (
            _REFERS.search(own)
            or _ADDING.search(own)
            or (bare and adverb and re.match(r"^\s*(?:and|so|then)\b", text))
        ):
            # "And adding the friendship cities, how many pairs is that in total?"
            own = _ADDING.sub(" ", _REFERS.sub(" ", own))
            own = re.sub(r"\bhow (?:many|much)\b|\b(?:is|are|was|were|does|do|that)\b", " ", own)
            return Shape("arithmetic", op="sum", sides=(own.strip(" ?,"), ""))
        if " and " in text:
            return Shape("arithmetic", op="sum", sides=(own.strip(" ?"),))
    m = _COMPARE_WITH.match(text)
    if m:
        a, b = said[m.start(1) : m.end(1)].strip(), said[m.start(2) : m.end(2)].strip(" ?")
        return Shape("comparison", op="relate", sides=(a, b))
    m = _WHICH_MOST.match(text)
    copula = re.match(r"(?:is|was|are|were|'s)\b", m.group(2)) if m else None
    ranked = re.search(rf"\b(?:{_RANKS})\s*$", m.group(2)) if m else None  # "the second highest"
    if m and m.group(2) and not copula and not ranked and m.group(1) not in _NOT_CATEGORY:
        return Shape(
            "superlative",
            op=_superlative_op(m.group(3)),
            category=m.group(1),
            sides=(f"{m.group(2)} {m.group(4)}".strip(" ?"), m.group(4).strip(" ?")),
            kind_word="figure",
        )
    m = _CHOICE.search(text)
    if m and re.search(r"\bor\b", m.group(4)) and _BOUND_AFTER.match(m.group(3)):
        # "Which district brought in more than 50 enterprises, Yuzhong or Yubei?": "more" bounds
        # a figure the right option has, it compares none of the options
        options = _options(said[m.start(4) : m.end(4)])
        return _holds(said[m.start(1) : m.end(3)], options)
    if m and re.search(r"\bor\b", m.group(4)):
        options = _options(said[m.start(4) : m.end(4)])
        head = said[m.start(3) : m.end(3)].strip()
        if head and all(len(o.split()) <= 2 for o in options):
            # "Which year had the higher revenue: 2018 or 2019?": each option's revenue
            options = [f"{o} {head}" for o in options]
        if len(options) >= 2:
            op = _choice_op(m.group(2), text[m.end(2) :])
            return Shape("comparison", op=op, sides=tuple(options))
    m = _CHOICE_AFTER.search(text) or _CHOICE_VS.search(text)
    if m:
        a, b = ("a", "b") if "a" in m.re.groupindex and m.group("a") else ("c", "d")
        options = [said[m.start(a) : m.end(a)].strip(), said[m.start(b) : m.end(b)].strip()]
        head = said[m.end("w") :].strip(" ?")
        if head and all(len(o.split()) <= 3 for o in options):
            # "Between 2018 and 2019, which year had higher revenue?": each year's revenue
            options = [f"{o} {head}" for o in options]
        op = _choice_op(m.group("w"), text[m.end("w") :])
        return Shape("comparison", op=op, sides=tuple(options))
    m = _WHICH_OR.match(text)
    if m:  # "Which district introduced CapitaLand, Yuzhong or Yubei?"
        options = _options(said[m.start("opts") : m.end("opts")])
        if 2 <= len(options) <= 4 and all(len(o.split()) <= 4 for o in options):
            return _holds(said[m.start("pred") : m.end("pred")], options)
    polar = _POLAR.match(text)
    if polar and not _REQUEST.match(text) and not _NOT_POLAR.match(polar.group(2)):
        return _polar(polar.group(2), said[polar.start(2) :])
    return None


def _statement(body: str, said: str) -> Shape | None:
    """A statement to confirm ("the train left on June 23"), or a yes/no question in it."""
    body, said = body.rstrip(" ?.!,"), said[: len(body.rstrip(" ?.!,"))]
    if not body:
        return None
    polar = _POLAR.match(body)
    if polar and not _NOT_POLAR.match(polar.group(2)):
        return _polar(polar.group(2), said[polar.start(2) :])
    return _polar(body, said)


# "before or after", "earlier or later": a question of which way, answered with the way.
_WHICH_WAY = re.compile(
    r"^(.*?)\b(?:before or after|after or before|earlier or later|later or earlier|earlier than or "
    r"later than)\b(.+)$"
)
WHICH_WAY = "before or after"


def _polar(rest: str, said: str) -> Shape | None:
    """A yes/no question's statement, after its auxiliary: a comparison or a claim."""
    m = re.search(rf"\b({_COMPARATIVE}) or ({_COMPARATIVE}) than\b(.*)$", rest)
    if m:  # "Is it bigger or smaller than the number of countries?": which way, and by how much
        before = rest[: m.start()].strip()
        ways = tuple(sorted(m.group(1, 2), key=lambda w: w in _LESS))  # (greater, less)
        ways = ways if (ways[0] in _LESS) != (ways[1] in _LESS) else ()
        return Shape("comparison", op="relate", sides=(before, m.group(3).strip(" ?")), ways=ways)
    m = _THAN.search(rest)
    if m and not re.match(r"\s*(?:the |a )?(?:us\$|\$|€|£|¥)?\d", m.group(3)):
        word = m.group(1)
        op = _TIME.get(word) or ("less" if word in _LESS else "greater")
        before = rest[: m.start()].strip()
        middle = m.group(2).strip()
        after = m.group(3).strip(" ?")
        if middle:  # "Does the channel reach more ports than countries?"
            return Shape(
                "comparison",
                op=op,
                polar=True,
                sides=(f"{before} {middle}", f"{before} {after}"),
            )
        return Shape("comparison", op=op, polar=True, sides=(before, after))
    m = _WHICH_WAY.search(rest)
    if m and len(m.group(2).split()) >= 2:
        # "Was that before or after the train left?": which way two events lie in time
        return Shape(
            "comparison",
            op="earlier",
            sides=(said[: m.end(1)].strip(" ,") or "that", said[m.start(2) : m.end(2)].strip(" ?")),
            claim=WHICH_WAY,
        )
    m = re.search(r"^(.+?)\b(before|after)\b(.+)$", rest)
    if m and len(m.group(1).split()) >= 2 and len(m.group(3).split()) >= 2:
        # "Did the consulate open before the train departed?": two events in time
        op = "earlier" if m.group(2) == "before" else "later"
        return Shape(
            "comparison",
            op=op,
            polar=True,
            sides=(m.group(1), m.group(3).strip(" ?")),
            claim=said.rstrip(" ?"),
        )
    if re.search(r"\bor\b", rest) and not re.search(r"\bor (more|less|fewer|so)\b", rest):
        return None  # "Is it X or Y?": a choice, which the reader answers with a span
    return Shape("yesno", claim=said.rstrip(" ?"))


# Words of a summary request that say nothing about its topic.
_SUMMARY_WORDS = re.compile(
    r"\b(?:summar\w*|main|key|points?|ideas?|message|takeaways?|gist|tl;? ?dr|overview|"
    r"brief(?:ly)?|short|quick|give|me|us|the|a|an|of|this|that|it|article|document|text|story|"
    r"report|piece|news|page|about|what|whats|is|are|was|does|do|say|says|said|cover|covers|"
    r"discuss|discusses|talk|talks|mainly|mostly|chiefly|primarily|basically|generally|please|"
    r"can|could|you|i|in|on|nutshell|sum|up|recap|outline|highlights?|topics?|themes?|"
    r"subject|big|picture|version|all|and|its|s|for|overall|general|central|short|few|"
    r"sentences?|words?|facts|messages|describe|tell|explain|so|to|with|whole|entire|full|"
    r"rundown|run-down|lowdown|briefing|synopsis|quickly|fast|how|describes|described|"
    r"portrays|presents|write|writes|report|reports)\b"
)


def _summary_topic(text: str) -> str:
    """What a summary is asked about, when it names something ("district opportunities
    summary", "summarize what it says about trade"); '' for the whole document."""
    rest = _SUMMARY_WORDS.sub(" ", text.replace("'s", " "))
    return " ".join(w for w in re.findall(r"[a-z][\w-]+", rest) if w not in _SUMMARY_SKIP)


_SUMMARY_SKIP = frozenset("whats summary summaries".split())


def phrase_words(text: str) -> list[str]:
    """The words of a phrase that name something (not 'how', 'many', 'the', 'is')."""
    from ..question import GENERIC

    return [w for w in re.findall(r"[a-z][\w'-]*", text) if w not in GENERIC]
