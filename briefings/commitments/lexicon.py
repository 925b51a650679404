"""The words the extractor knows: government actors, commissive cues, verb classes, traps.
Long because it is data: word lists, one per line.

Kept apart from the logic so that a reviewer can read, and a maintainer extend, the vocabulary
without reading the pipeline. Every list is English briefing usage (SCIO translations and White
House transcripts); each class of word says in its comment why it is there.
"""

from __future__ import annotations

import re

# Strength of a commitment, shown as a hint, not a verdict.
HARD = "hard"
FIRM = "firm"
SOFT = "soft"
TENTATIVE = "tentative"

# Who: the speaker's side and government bodies -------------------------------------------

# Acronyms of government bodies as they appear in briefings, with the name the archive shows.
GOV_ACRONYMS = {
    "MIIT": "Ministry of Industry and Information Technology",
    "NDRC": "National Development and Reform Commission",
    "MOF": "Ministry of Finance",
    "MOFCOM": "Ministry of Commerce",
    "MOE": "Ministry of Education",
    "MEE": "Ministry of Ecology and Environment",
    "NHC": "National Health Commission",
    "NEA": "National Energy Administration",
    "NFRA": "National Financial Regulatory Administration",
    "CSRC": "China Securities Regulatory Commission",
    "PBOC": "People's Bank of China",
    "PBC": "People's Bank of China",
    "SAMR": "State Administration for Market Regulation",
    "CAC": "Cyberspace Administration of China",
    "MOHRSS": "Ministry of Human Resources and Social Security",
    "MOT": "Ministry of Transport",
    "MWR": "Ministry of Water Resources",
    "MEM": "Ministry of Emergency Management",
    "NBS": "National Bureau of Statistics",
    "SCIO": "State Council Information Office",
    "SASAC": "State-owned Assets Supervision and Administration Commission",
    "CAAC": "Civil Aviation Administration of China",
    "HHS": "Department of Health and Human Services",
    "CDC": "Centers for Disease Control and Prevention",
    "FDA": "Food and Drug Administration",
    "FEMA": "Federal Emergency Management Agency",
    "DOE": "Department of Energy",
    "USDA": "Department of Agriculture",
    "EPA": "Environmental Protection Agency",
    "SBA": "Small Business Administration",
    "DHS": "Department of Homeland Security",
    "USAID": "USAID",
    "OMB": "Office of Management and Budget",
    "DOT": "Department of Transportation",
    "DOJ": "Department of Justice",
    "IRS": "Internal Revenue Service",
    "CMS": "Centers for Medicare and Medicaid Services",
    "NIH": "National Institutes of Health",
    "HUD": "Department of Housing and Urban Development",
    "USTR": "Office of the United States Trade Representative",
    "DOD": "Department of Defense",
    "DoD": "Department of Defense",
    "FinCEN": "Financial Crimes Enforcement Network",
    "OFAC": "Office of Foreign Assets Control",
    "TSA": "Transportation Security Administration",
    "CBP": "Customs and Border Protection",
    "USCIS": "U.S. Citizenship and Immigration Services",
    "CISA": "Cybersecurity and Infrastructure Security Agency",
    "FAA": "Federal Aviation Administration",
    "FCC": "Federal Communications Commission",
    "FTC": "Federal Trade Commission",
    "NASA": "NASA",
    "NOAA": "National Oceanic and Atmospheric Administration",
    "NSC": "National Security Council",
    "VA": "Department of Veterans Affairs",
}
BODY = (
    r"(?:Ministry|Department|Commission|Administration|Bureau|Agency|Office|Council|Committee"
    r"|Service|Reserve|Bank|Guard|Corps|Command|Authority|Board|Institutes?)"
)
# Named bodies are matched case-sensitively: "the Ministry of Commerce", "MIIT".
GOV_NAMED_RE = re.compile(
    r"(?:^|\s)(?P<actor>(?:[Tt]he\s+)?(?:" + BODY + r"\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'-]*"
    r"(?:(?:,?\s+and\s+|\s+of\s+|\s+for\s+|\s+)[A-Z][\w'-]*)*"
    r"|(?:[A-Z][\w'-]*\s+)+" + BODY + r"(?:\s+of\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)?"
    r"|(?:" + "|".join(GOV_ACRONYMS) + r")))$"
)
# Generic names, any case: "the central government", "China", "the Department".
GOV_COMMON_RE = re.compile(
    r"(?:^|\s)(?P<actor>the\s+(?:central\s+|federal\s+|chinese\s+|local\s+|provincial\s+"
    r"|municipal\s+|national\s+)?governments?|(?:local|provincial|municipal)\s+governments"
    r"|the\s+(?:biden(?:-harris)?\s+|trump\s+)?administration|the\s+white\s+house|the\s+state\s+council"
    r"|the\s+central\s+bank|the\s+united\s+states|the\s+u\.s\.?|america|china|the\s+country"
    r"|the\s+nation|the\s+pentagon|(?:the\s+)?treasury|the\s+(?:treasury|state|defense|commerce"
    r"|justice|energy|labor|education|agriculture|transportation)\s+department|the\s+(?:relevant\s+)?(?:ministry|department"
    r"|commission|bureau|agency|ministries|departments|authorities)|public\s+[\w\s-]*?agencies"
    # The Ministry's "the two sides will hold the 12th round": China is one of them.
    r"|(?:the|our)\s+two\s+sides|both\s+sides|the\s+chinese\s+side"
    r"|the\s+chinese\s+and\s+[\w-]+\s+sides|the\s+[\w-]+\s+and\s+chinese\s+sides)$",
    re.IGNORECASE,
)
ACRONYM_RE = re.compile(r"^(?:[Tt]he\s+)?(" + "|".join(GOV_ACRONYMS) + r")$")
# "we" and "our ministry" stand for the speaker's organisation.
WE_RE = re.compile(r"(?:^|\s)(?:we|our\s+(?:ministry|department|commission|administration|bureau"
                   r"|agency|office|government|country|side|team))$", re.IGNORECASE)  # fmt: skip
# A person: a commitment only with a delivery verb, since most of what a president "will" do in
# a briefing is an itinerary (the dataset README's guideline).
PERSON_RE = re.compile(
    r"(?:^|\s)(?:he|she|(?:the\s+)?(?:vice\s+)?president(?:\s+[A-Z][\w-]+){0,2}"
    r"|(?:the\s+)?first\s+lady(?:\s+[A-Z][\w-]+)?"
    r"|(?:the\s+)?(?:secretary|minister|premier|administrator|ambassador|envoy|spokesperson"
    r"|chancellor|governor|mayor|director|trade\s+representative|attorney\s+general)"
    r"(?:[-\s][A-Z][\w-]+)*)$",
    re.IGNORECASE,
)
# "I will" is the speaker's own turn-taking ("I will answer your second question").
I_RE = re.compile(r"(?:^|\s)i$", re.IGNORECASE)
# "it will" counts only when a government body was named before it in the sentence.
IT_RE = re.compile(r"(?:^|\s)it$", re.IGNORECASE)
# "the Departments of Housing, Veterans Affairs and Agriculture announced they will extend":
# "they" counts only after bodies named in the plural.
THEY_RE = re.compile(r"(?:^|\s)they$", re.IGNORECASE)
# Government programmes and instruments whose future is the government's doing.
PROGRAMME_SUBJECT_RE = re.compile(
    r"(?:^|\s)(?:the\s+|this\s+|our\s+|a\s+)?[\w\s,-]*?\b(?:pilot|pilots|program|programs"
    r"|programme|programmes|campaign|project|projects|policy|policies|premiums?|pensions?"
    r"|subsid(?:y|ies)|scheme|initiative|construction\s+of\s+[\w\s,-]+|budget)$",
    re.IGNORECASE,
)
# What a programme can be said to do: "the pilot will cover seven provinces", not "the policy
# will expire" (a scheduled fact) nor "the expo will attract 3,000 exhibitors" (a forecast).
PROGRAMME_VERBS = {"cover", "start", "begin", "remain", "stay", "run", "reach", "provide",
                   "offer", "request", "include", "invest", "extend"}  # fmt: skip

# Commissive cues ----------------------------------------------------------------------------

STARTING_NOW = (
    r"(?:announcing|launching|unveiling|releasing|issuing|establishing|creating|deploying"
    r"|sending|opening|allocating|committing|donating|designating|adding|imposing|banning"
    r"|extending|increasing|investing|delivering|shipping|awarding|distributing|signing)\b"
)
# "There will be screening at all 20 airports": the government's doing when it names a
# number or a deliverable.
THERE_WILL_BE_RE = re.compile(
    r"\bthere\s+(?:will|['’]ll|is\s+going\s+to|are\s+going\s+to)\s+be\b", re.IGNORECASE
)
# What "there will be" announces that is the conference's own business or a calendar.
THERE_PROCEDURAL_RE = re.compile(
    r"\b(?:briefings?|calls?|gaggles?|press\s+conferences?|updates?|opportunit(?:y|ies)"
    r"|questions?|time|pool|readouts?|remarks|statements?|meetings?|discussions?|conversations?)\b",
    re.IGNORECASE,
)

# The commissive words after a subject; "may", "could", "would" and "should" are not among them.
MODAL_RE = re.compile(
    r"(?P<modal>\b(?:will|shall)\b|['’]ll\b"
    r"|['’]re\s+going\s+to\b|\b(?:are|is|am)\s+going\s+to\b"
    # Not the nouns: "release a plan to boost consumption", "with the aim to".
    r"|(?<!\ba\s)(?<!\ban\s)(?<!\bthe\s)(?<!\bour\s)(?<!\bits\s)(?<!\bthis\s)(?<!\btheir\s)"
    r"\b(?:plans?|planning|aims?|strives?|intends?)\s+to\b|\b(?:are|is)\s+planning\s+to\b"
    r"|\b(?:are|is|am|['’]re)\s+(?:committed|determined|prepared|scheduled|set)\s+to\b"
    r"|\bcommits?\s+to\b"
    r"|\b(?:have|has|['’]ve)\s+(?:decided|agreed|pledged|committed|prepared)\s+to\b"
    r"|\b(?:are|is|['’]re)\s+(?:working\s+on|drafting|formulating|preparing)\b"
    r"|\b(?:are|is|['’]re)\s+looking\s+to\b"
    # A present progressive that starts an act now: "HHS is announcing the creation of ...".
    r"|\b(?:are|is|am)\s+(?:also\s+|now\s+)?(?=" + STARTING_NOW + r")"
    r"|['’]re\s+(?:also\s+|now\s+)?(?=" + STARTING_NOW + r"))",
    re.IGNORECASE,
)
# "Our goal is that ...": the clause after it is the commitment, whatever its grammatical subject.
GOAL_RE = re.compile(
    r"(?<!\bwhat\s)\b(?:our|the|my|one)\s+(?:main\s+|overall\s+|key\s+|new\s+|primary\s+)?"
    r"(?:goal|target|aim|objective)s?\s+(?:is|are|will\s+be)\s+(?:to|that|for)\b",
    re.IGNORECASE,
)
# What an order or a strategy sets in motion, said in the present: "the EO directs agencies
# to prepare a report", "the strategy calls for the development of a plan".
INSTRUMENT_RE = re.compile(
    r"\b(?:the|this|today['’]s)\s+(?:new\s+|executive\s+)?(?:EO|executive\s+order|order"
    r"|proclamation|memorandum|directive|strategy|rule)\s+(?:also\s+|further\s+)?"
    r"(?:directs|calls\s+for|requires|establishes|creates|launches|sets\s+up|orders|mandates)\b",
    re.IGNORECASE,
)
# "Under the action plan, China will build ...": a restated plan target.
UNDER_PLAN_RE = re.compile(
    r"^\W*(?:\w+\s*,\s*)?under\s+the\s+(?:[\w-]+\s+){0,4}?(?:plan|programme|program|guidelines?"
    r"|strategy|initiative)\b\s*,?",
    re.IGNORECASE,
)
# Participles that do not end in -ed, for "will be built" and "will have sent".
IRREGULAR_PARTICIPLES = {
    "built", "cut", "set", "held", "made", "sent", "paid", "given", "taken", "done", "spent",
    "brought", "laid", "kept", "met", "put", "begun", "shown", "drawn", "grown", "written",
    "chosen", "sold", "rebuilt", "undertaken", "lent", "dealt",
}  # fmt: skip
# Participles after "will be" that describe a state or someone else's act, not a delivery.
NOT_DELIVERY_PARTICIPLES = {
    "needed", "affected", "impacted", "expected", "asked", "allowed",
    "overwhelmed", "embargoed", "seen", "considered", "welcomed", "joined", "accompanied",
    "greeted", "celebrated", "honored", "pleased", "surprised", "interested", "concerned",
    "involved", "located", "based", "engaged", "able", "prepared", "ready", "tasked",
    "encouraged", "disappointed", "determined", "committed", "chaired", "attended", "led",
    "briefed", "shared", "adjourned", "resumed",
}  # fmt: skip
# Words between the modal and its verb.
ADVERBS = {
    "also", "further", "then", "still", "now", "again", "soon", "jointly", "first", "certainly",
    "definitely", "actively", "all", "both", "too", "initially", "finally", "additionally",
    "separately", "directly", "quickly", "gradually", "fully", "steadily", "vigorously",
    "dramatically", "significantly", "continuously", "resolutely", "strictly", "comprehensively",
    "systematically", "earnestly", "effectively", "immediately", "promptly", "formally",
    "officially", "personally", "ourselves", "each", "only", "just", "really", "absolutely",
    "basically", "mainly", "primarily", "substantially", "aggressively", "be", "have",
}  # fmt: skip
# "will strive to X", "will begin disbursing": the commitment is X.
AUXILIARY_VERBS = {"strive", "aim", "seek", "endeavour", "endeavor", "try", "begin", "start",
                   "continue"}  # fmt: skip
SOFT_AUXILIARIES = {"strive", "aim", "seek", "endeavour", "endeavor", "try"}

# Verb classes -------------------------------------------------------------------------------

# Verbs that name no checkable act: with one of these a clause needs a number to be a
# commitment ("we will continue to strengthen" is not one; "cultivate 10,000 firms" is).
VAGUE_VERBS = {
    "continue", "further", "strengthen", "improve", "enhance", "promote", "deepen", "step",
    "keep", "maintain", "expand", "optimize", "optimise", "foster", "support", "encourage",
    "guide", "push", "accelerate", "explore", "coordinate", "confront", "assess", "study",
    "focus", "highlight", "cultivate", "give", "help", "boost", "advance", "facilitate",
    "consolidate", "refine", "perfect", "intensify", "stabilize", "stabilise", "safeguard",
    "protect", "rally", "lead", "engage", "pursue", "prioritize", "address", "tackle", "fight",
    "combat", "monitor", "consider", "seek", "play", "stand", "remain", "stay", "do", "ramp",
    "enrich", "summarize", "summarise", "uphold", "adhere", "implement", "unleash", "spur",
    "drive", "attach", "value", "welcome", "chart", "shape", "envision",
}  # fmt: skip
# Verbs that take their meaning from their object: a number, a deliverable or a date will do.
NEUTRAL_VERBS = {"work", "have", "make", "put", "use", "proceed", "get", "take", "bring", "go"}
# Of those, the ones a date alone never makes checkable: "we're going to be working with the
# retailers" next week.
UNDATABLE_VERBS = {"work", "go", "get"}
# Verbs of what will happen to us, not what we will do: "we will see cases rise".
FORECAST_VERBS = {"see", "hit", "surpass", "cross", "face", "need", "witness", "experience",
                  "want", "wish", "like", "look", "be"}  # fmt: skip
# A person's calendar: announcements of it are itineraries, not promises (dataset README).
SCHEDULE_VERBS = {
    "travel", "visit", "meet", "attend", "participate", "commemorate", "celebrate", "honor",
    "honour", "mark", "greet", "tour", "grieve", "observe", "arrive", "depart", "join",
    "speak", "talk", "gather", "head", "fly", "leave", "return", "stop", "land", "stay",
}  # fmt: skip
# What a person can commit to in a briefing: announcing or sending something concrete.
PERSON_DELIVERY_VERBS = {
    "announce", "unveil", "launch", "provide", "send", "commit", "allocate", "release", "issue",
    "invest", "direct", "deliver", "establish", "create", "request", "propose", "pledge",
    "donate", "order", "sign", "host", "cohost", "co-host", "hold", "convene", "co-chair",
    "chair", "impose", "initiate",
}  # fmt: skip
# A person hosting commits to something only when it is an event the government organises
# (EVENT_RE): "will host the Prime Minister" is his calendar.
HOSTING_VERBS = {"host", "cohost", "co-host", "hold", "convene", "co-chair", "chair"}
# Verbs that deliver a named thing: only under one of these does "a guideline", "a platform"
# or "a summit" make a clause checkable ("make sure everybody knows about Project 2025" does not).
DELIVERY_VERBS = {
    "issue", "release", "publish", "launch", "hold", "host", "cohost", "co-host", "open",
    "build", "set", "establish", "create", "introduce", "unveil", "announce", "formulate",
    "revise", "draft", "adopt", "complete", "finish", "carry", "organize", "organise",
    "convene", "prepare", "finalize", "finalise", "start", "begin", "roll", "conduct",
    "undertake", "enact", "submit", "send", "deliver", "provide", "allocate", "invest", "fund",
    "select", "construct", "offer", "extend", "expand", "upgrade", "renovate", "sign", "list",
    "approve", "designate", "award", "compile", "update", "amend", "impose", "initiate",
}  # fmt: skip
# Verbs whose object must be concrete: announcing something on a date is not yet a promise.
ANNOUNCE_VERBS = {"announce", "unveil"}
# The conference's own business: answering, adding, giving the floor.
PROCEDURAL_VERBS = {
    "answer", "respond", "reply", "add", "introduce", "brief", "check", "share", "update",
    "refer", "say", "note", "begin", "start", "turn", "leave", "repeat", "elaborate",
    "clarify", "explain", "invite", "open", "close", "conclude", "hand", "pass", "defer",
    "return", "circle", "keep", "let", "give", "detail", "outline", "preview", "walk",
}  # fmt: skip
# Explaining, not doing: never a commitment whatever follows.
TALK_VERBS = {"detail", "outline", "preview", "walk", "discuss", "say", "talk", "speak", "tell",
              "communicate"}  # fmt: skip
# Events a government organises (a deliverable; what a person may host, EVENT_RE).
EVENTS = r"expos?|fairs?(?!-)|forums?|summits?|conferences?|exhibitions?"
# A numbered session of a standing mechanism is an event its hosts organise and name: "the
# 15th round of China-Japan Strategic Dialogue", "the fourth Round Table Dialogue".
NUMBERED_EVENT = (
    r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
    r"\s+(?:round\s+of\s+(?:the\s+)?)?(?:[\w'’-]+\s+){0,7}?"
    r"(?:dialogue|meeting|consultations|talks|session|round\s+table)s?"
)
# Physical places: a deliverable only when built or opened (PLACE_RE, extract._delivers).
PLACES = r"centers?|centres?|sites?|facilit(?:y|ies)|hospitals?|bridges?|ports?|offices?"
# Named deliverables: a document, an event, a fund, a platform.
DELIVERABLE_RE = re.compile(
    r"\b(?:guidelines?|guidance|(?:action\s+)?plans?|regulations?|rules|laws?|legislation|"
    + EVENTS
    + r"|"
    + NUMBERED_EVENT
    + r"|funds?|platforms?|standards?|pilots?|programmes?"
    r"|programs?|projects?|lists?|catalog(?:ue)?s?|white\s+papers?|websites?|campaigns?"
    r"|initiatives?|working\s+groups?|reports?|strateg(?:y|ies)|roadmaps?|partnerships?"
    r"|surveys?|reviews?|census|channels?|hotlines?|databases?|[\w-]+\.gov"
    r"|schemes?|zones?|task\s+forces?|blueprints?|budgets?|catalogs?|directives?"
    r"|executive\s+orders?|procedures|mechanisms?\s+for"
    # Acts and instruments a government issues (issue 13: misses in White House calls).
    r"|notices?\s+of\s+proposed\s+rulemaking|rulemakings?|determinations?|proclamations?"
    r"|memorand(?:um|a)|agreements?|declarations?|frameworks?|protocols?|arrangements?"
    r"|sanctions|export\s+controls|visa\s+restrictions|tariffs?|packages?|grants?|loans?"
    r"|lease\s+sales?|coordinators?|(?-i:EOs?)|airdrops?|airlifts?|investigations?"
    # Physical things built or opened.
    r"|" + PLACES + r"|exercises?|documents?)\b",
    re.IGNORECASE,
)
# "A long-term mechanism" is the stock phrase of a vague intention, not a deliverable.
DELIVERABLE_RE_BLOCK = re.compile(r"\blong-term\s+mechanisms?\b", re.IGNORECASE)
EVENT_RE = re.compile(r"\b(?:" + EVENTS + r"|games|" + NUMBERED_EVENT + r")\b", re.IGNORECASE)
NUMBERED_EVENT_RE = re.compile(r"\b" + NUMBERED_EVENT + r"\b", re.IGNORECASE)
PLACE_RE = re.compile(PLACES, re.IGNORECASE)
# What builds or opens a place: "open five vaccination centers", not "send masks to hospitals".
BUILDING_VERBS = {"build", "open", "reopen", "establish", "create", "construct", "set",
                  "launch", "stand", "rebuild", "expand", "install", "renovate", "upgrade",
                  "add", "designate", "deploy"}  # fmt: skip
# What a date cannot make checkable: a pronoun standing for something said before ("we'll
# start those on Wednesday") or an open-ended object ("start a process", "a new effort").
VAGUE_OBJECT_RE = re.compile(
    r"^\s*[\w-]+\s+(?:(?:it|that|this|those|these|them)\b(?!\s+(?:is|are|week|weekend|month|year|morning"
    r"|afternoon|evening|quarter|time|spring|summer|fall|winter)\b)"
    r"|(?:(?:a|an|the|this|that|our|new|whole|broader|further|some|more|additional)\s+){0,3}"
    r"(?:process|efforts?|steps|actions?|measures"
    r"|work|conversations?|discussions?|look|review\s+of)\b)",
    re.IGNORECASE,
)

# "The two sides" (the Ministry's usual subject) commit only to an act with a deliverable:
# "will sign cooperation agreements", "will hold the 12th round"; "will exchange views",
# "will work to implement the consensus" are the talks themselves.
SIDES_RE = re.compile(r"\bsides?$", re.IGNORECASE)

# Traps (docs/commitments.md) --------------------------------------------------------------

# A reporter's question restated in the answer: "You asked whether the ministry will ...".
QUESTION_RE = re.compile(
    r"^\W*(?:\w+\s+){0,2}you\s+(?:said|mentioned|asked|noted|wanted\s+to\s+know)\b"
    r"|\b(?:asked|ask|asking|wonder(?:ed|ing)?|question\s+(?:is|was))\s+(?:about\s+)?"
    r"(?:whether|if|when|how|what|why)\b|\bwhether\b",
    re.IGNORECASE,
)
# "when we will", "how we will": a subordinate question, unless it is "that's how we will".
EMBEDDED_QUESTION_RE = re.compile(
    r"(?<!that['’]s\s)(?<!that\sis\s)(?<!this\sis\s)(?<!here['’]s\s)(?<!that\swas\s)"
    r"\b(?:when|whether|how|why)\s+(?:exactly\s+)?(?:\S+\s+){0,2}\S+\s*$",
    re.IGNORECASE,
)
# Conditions anywhere in the sentence: precision first, so "if" vetoes every cue in it.
HYPOTHETICAL_RE = re.compile(
    r"\b(?:if|unless|in\s+case|provided\s+that|as\s+long\s+as|depending\s+on|in\s+the\s+event)\b",
    re.IGNORECASE,
)
# Conditions that open a clause: "should the FDA authorize it", "once we reach 15,000".
CLAUSE_CONDITION_RE = re.compile(
    r"(?:^|[,;:—–]|\bthat)\s*(?:(?:and|but|so|now|then)\s+)?(?:should|once|when|whenever"
    r"|as\s+soon\s+as|after\s+(?:the\s+)?(?:\w+\s+)?(?:is|are|has|have))\b",
    re.IGNORECASE,
)
# Hedges before the cue: "we expect", "I think", "it is likely". "May" the month is not one.
FORECAST_RE = re.compile(
    r"\b(?:expects?|expected|expecting|expectation|projected|projection|forecasts?|anticipated?"
    r"|anticipates|likely|estimates?|estimated|believe[sd]?|think|thinks|hopes?|hoped|hoping"
    r"|hopefully|confident|predicts?|predicted|suggests?|probably|perhaps|possibly|assume"
    r"|guess|bet|optimistic|it\s+is\s+possible|(?-i:may|might))\b",
    re.IGNORECASE,
)
# Hedges and negation right after the modal: "will likely", "will not", "will no longer".
AFTER_MODAL_HEDGE_RE = re.compile(
    r"^\s*(?:likely|probably|hopefully|possibly|perhaps|not|never|no\s+longer|n['’]t)\b",
    re.IGNORECASE,
)
# Negated pledges are left out in v1 (docs/commitments.md).
NEGATION_RE = re.compile(r"\b(?:won['’]t|will\s+not|shall\s+not|never|not\s+going\s+to)\b",
                         re.IGNORECASE)  # fmt: skip
# Stance, not delivery: "we will always", "firmly safeguard", "do our best".
RHETORIC_RE = re.compile(
    r"\b(?:always|firmly|resolutely|unswervingly|do\s+(?:our|my|its)\s+(?:very\s+)?best"
    r"|every\s+effort|spare\s+no\s+effort|not\s+rest|whatever\s+it\s+takes|24/7)\b",
    re.IGNORECASE,
)
# "Last year we pledged ..., and that pledge has been fulfilled."
PAST_PLEDGE_RE = re.compile(
    r"\b(?:pledged|promised|vowed)\b.*\b(?:fulfilled|kept|met|did|delivered|honou?red)\b",
    re.IGNORECASE,
)
# What makes a verb procedural: its object is the conference itself ("more to share",
# "questions", "the following work").
PROCEDURAL_OBJECT_RE = re.compile(
    r"^\s*(?:\w+\s+){0,3}(?:questions?|statement|readout|details|update|updates"
    r"|more\s+to\s+(?:say|share|report|add|announce|talk\s+about|discuss)|information|specifics|more\s+on|anything"
    r"|the\s+floor"
    r"|you|that\s+with"
    r"|it\s+with|this\s+with|more\s+of\s+an\s+update)\b"
    r"|\bthe\s+following\b|\bfocus\s+on\s+(?:the\s+following\s+)?(?:\w+\s+)?(?:tasks|aspects"
    r"|areas|points|priorities|work)\b|\bwith\s+(?:you|all\s+of\s+you|the\s+press)\b",
    re.IGNORECASE,
)
# "Details will be announced", "the readout will be sent": a passive about the press.
PROCEDURAL_SUBJECT_RE = re.compile(
    r"\b(?:details|more\s+information|further\s+information|updates?|the\s+schedule"
    r"|the\s+readout|a\s+readout|the\s+transcript"
    # A calendar's items said in the passive: "a meeting ... will be held on June 24", "the
    # regular press conference will be adjourned" (issue 13: Ministry pages).
    r"|(?:press\s+conference|briefing|meeting|ceremony|talks|reception|visit|event|session"
    r"|consultations?|dinner|banquet|call|gathering)(?:\s+(?:of|for|between|with)\s+[^,]*)?)$",
    re.IGNORECASE,
)
# "We will have the capacity to": an ability, not an act.
CAPACITY_RE = re.compile(
    r"^\s*to\b"  # "we will have to make a decision": an obligation, not a pledge
    r"|^\s*(?:\w+\s+)?(?:the|that|this|enough|more)?\s*(?:capacity|ability|tools|resources"
    r"|information|opportunity|chance|confidence)\b",
    re.IGNORECASE,
)
# The conference's own output: briefings, announcements, readouts. Having or putting one out
# is the press office's calendar, not a promise (COMMITMENTS.md: procedural).
COMMUNICATING_VERBS = {"have", "put", "get", "hold", "do", "provide", "give", "share", "send",
                       "release", "issue", "offer"}  # fmt: skip
COMMUNICATION_RE = re.compile(
    r"^\s*(?:[\w-]+\s+){0,4}?(?:briefings?|announcements?|updates?|readouts?|fact\s+sheets?"
    r"|descriptions?|lists?|information|more\s+to\s+say|guests?"
    r"|statements?|details|calls?|meetings?|conversations?|remarks|events?|gaggles?"
    r"|press\s+conferences?|news|transcripts?|guidance\s+for\s+you)\b",
    re.IGNORECASE,
)
# "We'll provide you all a list of that later": the press office's reply.
TO_THE_PRESS_RE = re.compile(
    r"^\s+(?:you(?:\s+all|\s+guys)?|all\s+of\s+you|everyone|everybody|the\s+press)\s+"
    r"(?:a|an|the|with|more|some|that|this|those)\b",
    re.IGNORECASE,
)
# Verbs that look like delivery but are not: "hold on to", "deliver remarks".
NOT_DELIVERY_RE = re.compile(
    r"^hold\s+on\b|^deliver\s+(?:remarks|a\s+speech|an\s+address|the)\b"
    r"|^give\s+(?:remarks|a\s+speech|an\s+address)\b",
    re.IGNORECASE,
)
# Meeting or hitting a stated goal is a target, not an itinerary or a forecast.
MEET_GOAL_RE = re.compile(r"^(?:meet|hit|reach|achieve)\s+(?:\S+\s+){0,5}?(?:goal|target"
                          r"|commitment|deadline)s?\b", re.IGNORECASE)  # fmt: skip
# A response time attached to each case is a service standard, not a deadline date.
SERVICE_STANDARD_RE = re.compile(
    r"\b(?:handled|processed|resolved|answered|settled|reviewed|approved|responded\s+to"
    r"|replied\s+to|paid|contact(?:ed)?\s+(?:them|him|her|applicants|the\s+\w+))\s*$",
    re.IGNORECASE,
)

# Sentence structure -------------------------------------------------------------------------

# Where a sentence may hold a second clause: ";", ", and", ", but", ", while".
CLAUSE_SPLIT_RE = re.compile(r";\s*|,\s+(?:and|but|while|whereas)\s+|\s+and\s+then\s+")
# A finite verb: a split is kept only when what follows has one of its own.
FINITE_RE = re.compile(
    r"\b(?:will|shall|['’]ll|have|has|had|was|were|is|are|am|plans?\s+to|aims?\s+to"
    r"|going\s+to)\b",
    re.IGNORECASE,
)
# Boundaries before a subject; commas inside numbers ("1,000") are not boundaries.
SUBJECT_BOUNDARY_RE = re.compile(r",(?!\d{3})|[;:—–(]|\s-\s|\b(?:that|which|who)\b",
                                 re.IGNORECASE)  # fmt: skip
# Discourse words and fronted time phrases before a subject: "And so, this year we".
LEADING_WORDS_RE = re.compile(
    r"^(?:\s*(?:and|but|so|then|now|also|first|second|third|next|finally|meanwhile|today"
    r"|tomorrow|tonight|yes|well|look|again|overall|in\s+total|in\s+addition|this\s+year"
    r"|next\s+year|as\s+you\s+(?:all\s+)?know|i\s+think)\b)+",
    re.IGNORECASE,
)
# Adverbs between a subject and its modal: "we certainly will also".
TRAILING_ADVERBS_RE = re.compile(
    r"(?:\s+(?:also|certainly|further|then|still|now|jointly|all|both|each|too|ourselves"
    r"|definitely|actually|really|already|just|initially|again|soon|fully|only))+$",
    re.IGNORECASE,
)
WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")
# Words that join coordinated verb phrases after one modal: "summarize X and issue Y".
VP_SPLIT_WORDS = r"(?:and|as\s+well\s+as|while|plus)"

# Asides between commas that are not subjects: "the Department of Justice, as well, will".
ADVERB_PIECE_RE = re.compile(
    r"\s*(?:as\s+well|too|also|in\s+turn|of\s+course|again|though|however|certainly|then"
    r"|let['’]s\s+not\s+forget|i\s+should\s+say|i\s+think|in\s+particular)\s*",
    re.IGNORECASE,
)

# A named body earlier in the sentence, the antecedent of "it".
BODY_NAME_RE = re.compile(
    r"\b[Tt]he\s+(?:Ministry|Department|Commission|Administration|Bureau|Agency|Office|Council)"
    r"\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'-]*(?:(?:,?\s+and\s+|\s+of\s+|\s+)[A-Z][\w'-]*)*"
    r"|\b[Tt]he\s+(?:[A-Z][\w'-]*\s+)+(?:Ministry|Department|Commission|Administration|Bureau"
    r"|Agency|Office|Council)\b|\b[Tt]he\s+United\s+States\b|\bChina\b"
    r"|\b[Tt]he\s+State\s+Council\b"
)
# Bodies named in the plural earlier in the sentence, the antecedent of "they".
PLURAL_BODY_NAME_RE = re.compile(
    r"\b[Tt]he\s+(?:Ministries|Departments|Agencies)\s+of\s+[A-Z][\w'-]*"
    r"(?:(?:,?\s+and\s+|,\s+|\s+of\s+|\s+)[A-Z][\w'-]*)*"
)

# Units that make a quantity a span of time: a deadline, not a count.
TIME_UNITS = {"day", "week", "month", "year", "hour", "decade", "minute"}
# What a small number counts when it describes the setting, not a result.
CONTEXT_UNITS = {
    "side", "sides", "country", "countries", "way", "ways", "thing", "things", "part",
    "parts", "leader", "leaders", "president", "presidents", "time", "times", "nation",
    "nations", "party", "parties", "minister", "ministers", "question", "questions",
    "point", "points", "aspect", "aspects", "area", "areas", "round", "rounds", "phase",
    "phases",
}  # fmt: skip
# "Every American", "each household": counted nouns in the singular.
COUNTED_SINGULARS = {
    "american", "household", "school", "county", "state", "citizen", "child", "family",
    "person", "adult", "student", "worker", "passenger", "traveler", "traveller",
    "resident", "veteran", "senior", "business", "hospital", "home",
}  # fmt: skip

# Kind: a scheduled event or document, or an end state with a number.
PLAN_VERBS = {"hold", "host", "release", "issue", "publish", "launch", "formulate", "revise",
              "unveil", "introduce", "announce", "convene", "organize", "organise", "draft",
              "prepare", "carry", "set", "open", "finalize", "finalise", "establish"}  # fmt: skip
TARGET_VERBS = {"reach", "exceed", "raise", "cut", "reduce", "increase", "keep", "ensure",
                "make sure", "have", "bring", "achieve", "peak", "lower", "double", "halve",
                "stay", "remain", "cover", "grow", "nurture", "cultivate"}  # fmt: skip

# Every verb the lists know; lemma() looks words up here.
KNOWN_VERBS = (
    VAGUE_VERBS | NEUTRAL_VERBS | FORECAST_VERBS | SCHEDULE_VERBS | PERSON_DELIVERY_VERBS
    | DELIVERY_VERBS
    | PROCEDURAL_VERBS | PROGRAMME_VERBS | AUXILIARY_VERBS
    | {
        "build", "issue", "release", "publish", "hold", "host", "open", "complete", "finish",
        "allocate", "invest", "train", "recruit", "add", "cut", "raise", "reduce", "lower",
        "create", "establish", "formulate", "revise", "introduce", "unveil", "select", "send",
        "deliver", "ship", "donate", "disburse", "deploy", "provide", "offer",
        "extend", "renovate", "upgrade", "construct", "sanction", "loan", "set", "launch",
        "carry", "organize", "organise", "hire", "achieve", "reach", "exceed", "increase",
        "double", "halve", "ensure", "guarantee", "peak", "restore", "subsidize",
        "fund", "cover", "list", "approve", "eliminate", "abolish", "remove", "relocate",
        "retrofit", "plant", "install", "connect", "certify", "inspect", "rectify", "clear",
        "pay", "refund", "waive", "exempt", "resume", "expand", "grow", "distribute", "apply",
        "draft", "adopt", "sign", "enact", "submit", "convene", "designate", "accredit",
        "award", "purchase", "procure", "acquire", "vaccinate", "test", "screen",
        "enroll", "admit", "graduate", "employ", "lend", "collect", "process", "handle",
        "contact", "begin", "start", "bring", "prepare", "finalize", "finalise", "welcome",
        "commit", "nurture", "strive", "aim", "get", "go", "make", "work", "use", "proceed",
        "chart", "lay", "showcase", "venture", "abide", "continue",
    }
)  # fmt: skip

# Verbs that name an act one can check happened by a date.
ACTION_VERBS = (KNOWN_VERBS - VAGUE_VERBS - FORECAST_VERBS - SCHEDULE_VERBS - PROCEDURAL_VERBS
                - TALK_VERBS) | DELIVERY_VERBS | {"ensure", "make sure", "guarantee", "have",
                                                  "open", "start", "begin", "keep"}  # fmt: skip


def lemma(word: str) -> str:
    """A crude lemma: enough to look verbs up in the word lists above."""
    word = word.lower().replace("’", "'")
    if word in KNOWN_VERBS:
        return word
    candidates = []
    if word.endswith("ing"):
        stem = word[:-3]
        candidates += [
            stem,
            stem + "e",
            stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem,
        ]
    if word.endswith("ied"):
        candidates.append(word[:-3] + "y")
    if word.endswith("ed"):
        stem = word[:-2]
        candidates += [
            stem,
            word[:-1],
            stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem,
        ]
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("es"):
        candidates.append(word[:-2])
    if word.endswith("s"):
        candidates.append(word[:-1])
    irregular = {"built": "build", "cut": "cut", "set": "set", "held": "hold", "made": "make",
                 "sent": "send", "paid": "pay", "given": "give", "taken": "take", "done": "do",
                 "spent": "spend", "brought": "bring", "laid": "lay", "kept": "keep",
                 "met": "meet", "put": "put", "begun": "begin", "shown": "show",
                 "written": "write", "chosen": "choose", "sold": "sell", "rebuilt": "rebuild",
                 "undertaken": "undertake", "lent": "lend"}  # fmt: skip
    if word in irregular:
        return irregular[word]
    for candidate in candidates:
        if candidate in KNOWN_VERBS:
            return candidate
    return word
