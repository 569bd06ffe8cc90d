"""Word lists the local translator reasons with: intent cues, stop words, abbreviations.

They describe English and the enterprise IT domain in general, not any registry: the registry's
own words (names, titles, descriptions, keywords) come from the registry at run time, and its
optional ``abbreviations:`` table extends ``VERB_ABBREVIATIONS``.
"""

from __future__ import annotations

# The verb table (word -> Q keyword, in priority order) is shared with retrieval and compression.
from alto_cli.abbreviations import VERB_ABBREVIATIONS as VERB_ABBREVIATIONS


def words_of(text: str) -> list[str]:
    return text.split()


# Q words that read as verbs but name a thing more often than an action ("dynatrace access",
# "access token"): never the action of Q, kept as topic words.
NOUN_LIKE_ACTIONS = frozenset(["acc", "mon"])

# Other spellings of those verbs: nouns, near synonyms (their inflections are added).
# One canonical action per meaning, so paraphrases share Q: "purge", "clean up", "get rid
# of" all read "delete". Verbs that differ in meaning stay apart (rotate vs revoke vs delete).
VERB_SYNONYMS: dict[str, str] = {
    "deletion": "delete",
    "cleanup": "delete",
    "purge": "delete",
    "wipe": "delete",
    "erase": "delete",
    "prune": "delete",
    "uninstall": "delete",
    "removal": "delete",
    "creation": "create",
    "configuration": "configure",
    "config": "configure",
    "rotation": "rotate",
    "installation": "install",
    "enrol": "setup",
    "enroll": "setup",
    "enrolment": "setup",
    "enrollment": "setup",
    "register": "setup",
    "registration": "setup",
    "activate": "enable",
    "deactivate": "disable",
    "reboot": "restart",
    "bounce": "restart",
    "recover": "reset",
    "recovery": "reset",
    "reenrol": "reset",
    "reenroll": "reset",
    "forgot": "reset",
    "forgotten": "reset",
    "verify": "check",
    "validate": "check",
    "revert": "rollback",
    "deployment": "deploy",
    "escalation": "escalate",
    "onboarding": "onboard",
    "approval": "approve",
    "revocation": "revoke",
    "migration": "migrate",
    "restoration": "restore",
    "monitoring": "monitor",
    "renewal": "renew",
    "change": "update",
    "modify": "update",
}
PHRASAL_VERBS: dict[tuple[str, ...], str] = {
    ("clean", "up"): "delete",
    ("get", "rid", "of"): "delete",
    ("set", "up"): "setup",
    ("roll", "back"): "rollback",
    ("back", "up"): "backup",
    ("turn", "on"): "enable",
    ("turn", "off"): "disable",
    ("sign", "up"): "setup",
    ("ask", "for"): "request",
    ("apply", "for"): "request",
    ("re", "enrol"): "reset",
    ("re", "enroll"): "reset",
    ("re", "register"): "reset",
    ("re", "setup"): "reset",
}

# Words that carry no topic: chat filler, reflexives, age and urgency. Left out of Q (and
# never "corrected" into a registry word: "stale" is not "stage").
FILLER_WORDS = frozenset(
    words_of(
        """lol lmao rn btw fyi idk tbh imo anyway anyways asap urgent urgently stale older
        oldest newest fresh myself yourself ourselves themselves himself herself everything
        everyone everybody anything whatever etc eg ie via again already ever yet
        exactly basically literally simply totally"""
    )
)

# Written upper-case in Q.
ACRONYMS = frozenset(
    words_of(
        """mfa sso api vpn aws k8s sre pr ci cd iam s3 ec2 dns tls ssl sla rca hr pto qa cve pat
        apm rds ssh url ip id it ceo cto vp json yaml sql 2fa otp sms acl cidr cpu csv hpa
        ram gpu vm ldap saml jwt totp http sev1 sev2 sev3 l1 l2 l3"""
    )
)
# Spellings written as one canonical token in Q.
TOKEN_SYNONYMS: dict[str, str] = {
    "kubernetes": "k8s",
    "kube": "k8s",
    "prs": "pr",
    "2fa": "mfa",
    "twofactor": "mfa",
    "multifactor": "mfa",
    "oncall": "oncall",
    "postmortems": "postmortem",
}

STOP_WORDS = frozenset(
    words_of(
        """a an the and or but if then so of to in on at by for with from into onto about as is are
        was were be been being am do does did doing done have has had having i me my mine we us
        our ours you your yours he she it its they them their this that these those there here
        what which who whom whose when where why how can could should would will shall may might
        must not no yes any some all each every either neither other another such own same than
        too very just also only even still again ever up out off over under via per vs
        please pls plz thanks thank thx hi hello hey hiya ok okay sorry kindly need needs want
        wants get gets got getting go going know let lets like make sure tell give show find
        help im ive id youre whats wheres hows whos theres dont doesnt cant cannot wont isnt
        arent wasnt didnt there someone somebody anyone anybody something anything way ways
        thing things stuff guys team's old new current existing certain specific particular
        various latest quick quickly again really actually basically currently just now today
        still maybe able one ones telling saying says tells shows showing seeing keep keeps kept
        wrong question guys folks"""
    )
)
# Words that say how to answer, not what about: never evidence for a CTX code.
FORMAT_WORDS = frozenset(
    words_of(
        """step steps stepwise summary summarize summarise summarized summarised overview tldr
        brief briefly list listing enumerate bullet bullets flowchart diagram outline"""
    )
)
# Meta nouns in registry titles and descriptions ("Guide", "Documentation", "Procedures").
GENERIC_NOUNS = frozenset(
    words_of(
        """process processes procedure procedures guide guides documentation docs doc document
        documents standard standards current common internal staff how v1 v2 v3 v4 per their
        what who when where"""
    )
)

# --- intent cues (phrases are tuples of lower-case tokens) ---
CODE_NOUNS = frozenset(
    words_of(
        """script scripts code snippet function program class module automation regex cronjob"""
    )
)
CODE_LANGUAGES: dict[str, str] = {
    "pytest": "PY",
    "jest": "JS",
    "python": "PY",
    "py": "PY",
    "python3": "PY",
    "javascript": "JS",
    "js": "JS",
    "node": "JS",
    "nodejs": "JS",
    "typescript": "JS",
    "ts": "JS",
}
OTHER_CODE_LANGUAGES = frozenset(
    words_of("""bash shell powershell golang go java ruby rust perl""")
)
MARKDOWN_WORDS = frozenset(words_of("""markdown md"""))
CREATE_VERBS = frozenset(
    words_of(
        """write writing generate gen create make build produce draft code give need want automate
        implement"""
    )
)

FAILURE_WORDS = frozenset(
    words_of(
        """fail fails failing failed failure failures down outage empty missing blank
        dies died dead restarting crashlooping noisy spike spiking error errors erroring
        broken broke crash
        crashes crashing crashed crashloop crashloopbackoff stuck hang hangs hanging freeze
        frozen timeout timeouts slow sluggish laggy refused rejected rejecting rejects denied
        forbidden unauthorized 401 403 404 500 502 503 504 oom oomkilled dropping drops
        disconnects disconnecting unreachable flaky flapping troubleshoot troubleshooting debug
        debugging diagnose diagnosing bug buggy glitch evicted invalid exceeded throttled
        throttling 429 degraded 401s 403s 404s 429s 500s 502s 503s 504s 4xx 5xx"""
    )
)
FAILURE_PHRASES = (
    ("not", "working"),
    ("not", "work"),
    ("doesnt", "work"),
    ("does", "not", "work"),
    ("isnt", "working"),
    ("stopped", "working"),
    ("wont",),
    ("cant",),
    ("cannot",),
    ("can", "not"),
    ("unable", "to"),
    ("keeps", "dropping"),
    ("times", "out"),
    ("timing", "out"),
    ("timed", "out"),
    ("is", "down"),
    ("are", "down"),
    ("went", "down"),
    ("goes", "down"),
    ("whats", "wrong"),
    ("not", "loading"),
    ("no", "longer"),
    ("went", "wrong"),
    ("something", "wrong"),
    ("doing", "wrong"),
    ("no", "data"),
    ("no", "metrics"),
    ("no", "logs"),
    ("no", "answer"),
    ("time", "out"),
    ("high", "latency"),
    ("latency", "high"),
    ("high", "cpu"),
    ("high", "memory"),
    ("false", "positives"),
    ("goes", "off"),
    ("went", "off"),
    ("issue", "with"),
    ("issues", "with"),
    ("problem", "with"),
    ("problems", "with"),
    ("trouble", "with"),
    ("having", "trouble"),
    ("having", "issues"),
)
PLAN_WORDS = frozenset(
    words_of(
        """plan plans planning roadmap rollout strategy prepare preparing preparation checklist prep
        migrate migrating migration schedule scheduling phased timeline"""
    )
)
PLAN_PHRASES = (
    ("roll", "out"),
    ("get", "ready"),
    ("how", "should", "we"),
    ("what", "do", "we", "need"),
)
EXPLAIN_WORDS = frozenset(
    words_of(
        """explain explaining explained explanation describe purpose meaning concept concepts eli5
        understand vs versus compared rationale reasoning
        difference differences"""
    )
)
EXPLAIN_PHRASES = (
    ("how", "does"),
    ("how", "do", "*", "work"),
    ("why", "do"),
    ("why", "does"),
    ("why", "is"),
    ("why", "are"),
    ("why", "we"),
    ("why", "should"),
    ("why", "must"),
    ("why", "need"),
    ("what", "does", "*", "mean"),
    ("what", "is", "the", "point"),
    ("whats", "the", "point"),
    ("point", "of"),
    ("why",),
    ("reason", "for"),
)
HOWTO_PHRASES = (
    ("how", "do", "i"),
    ("how", "do", "we"),
    ("how", "do", "you"),
    ("how", "can", "i"),
    ("how", "can", "we"),
    ("how", "should", "i"),
    ("how", "would", "i"),
    ("how", "to"),
    ("what", "are", "the", "steps"),
    ("steps", "to"),
    ("i", "need", "to"),
    ("i", "want", "to"),
    ("help", "me"),
    ("walk", "me", "through"),
    ("way", "to"),
    ("what", "do", "i", "do"),
    ("what", "should", "i", "do"),
    ("what", "do", "we", "do"),
    ("what", "should", "we", "do"),
    ("how", "do", "i", "proceed"),
)
# Explicit format cues, strongest first.
FORMAT_CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("step", "by", "step"), "STP"),
    (("steps",), "STP"),
    (("stepwise",), "STP"),
    (("instructions",), "STP"),
    (("process", "flow"), "FLW"),
    (("flow",), "FLW"),
    (("workflow",), "FLW"),
    (("flowchart",), "FLW"),
    (("flow", "chart"), "FLW"),
    (("diagram",), "FLW"),
    (("sequence", "of"), "FLW"),
    (("end", "to", "end"), "FLW"),
    (("list",), "LIS"),
    (("enumerate",), "LIS"),
    (("which", "ones"), "LIS"),
    (("which", "of"), "LIS"),
    (("who", "is", "on"), "LIS"),
    (("whos", "on"), "LIS"),
    (("who", "are", "on"), "LIS"),
    (("members", "of"), "LIS"),
    (("members",), "LIS"),
    (("roster",), "LIS"),
    (("whos", "in"), "LIS"),
    (("who", "is", "in"), "LIS"),
    (("summary",), "SUM"),
    (("summarize",), "SUM"),
    (("summarise",), "SUM"),
    (("tldr",), "SUM"),
    (("overview",), "SUM"),
    (("in", "short"), "SUM"),
    (("high", "level"), "SUM"),
    (("briefly",), "SUM"),
)

# Words that make a negation a failure: "not accepted", "isn't showing", "didn't trigger".
STATE_VERBS = frozenset(
    words_of(
        """work working load loading start starting show showing fire firing trigger triggered
        reach reached connect connecting sync syncing respond responding accept accepted
        report reporting deploy deploying run running send sending receive receiving update
        updating appear appearing arrive arriving resolve resolving pass passing get getting
        pick picking come coming go going finish finishing"""
    )
)
NEGATIONS = frozenset(words_of("not isnt arent doesnt dont didnt wont never cant cannot no"))
# Parts of error names: "AccessDenied", "ImagePullBackOff", "ConnectionError".
FAILURE_FRAGMENTS = ("denied", "error", "fail", "exception", "timeout", "refused", "backoff")
# Marks of one concrete case (vs. how a thing works in general).
INCIDENT_MARKERS = frozenset(
    words_of("my our me we keeps keep again since today yesterday now suddenly still every")
)
# A request about the asker's own team is context, not a topic: "my team", "our team".
POSSESSIVES = frozenset(words_of("my our"))
# Terse questions naming an action are answered as steps ("expense claim", "phishing report").
ACTION_NOUNS = frozenset(
    words_of(
        """help report claim download upload submit submission request access login signup
        registration enrolment enrollment setup install reset renewal rotation cleanup
        escalation approval onboarding offboarding apply application"""
    )
)

# Stated roles: (phrase, role). "*" matches any one word (a/an/the or an adjective).
ROLE_NOUNS: dict[str, str] = {
    "manager": "MG",
    "mgr": "MG",
    "managers": "MG",
    "lead": "MG",
    "director": "MG",
    "supervisor": "MG",
    "head": "MG",
    "vp": "MG",
    "hr": "HR",
    "recruiter": "HR",
    "recruiting": "HR",
    "people": "HR",
    "engineer": "EN",
    "developer": "EN",
    "dev": "EN",
    "sre": "EN",
    "devops": "EN",
    "programmer": "EN",
    "engineering": "EN",
    "support": "SU",
    "helpdesk": "SU",
    "agent": "SU",
}
ROLE_LEADS: tuple[tuple[str, ...], ...] = (
    ("as",),
    ("im",),
    ("i", "am"),
    ("i", "work", "in"),
    ("i", "work", "as"),
    ("i", "work", "on"),
    ("i", "m"),
)
# A role the question opens with as a label ("mgr: …", "HR q: …", "backend dev here - …"):
# the words that may follow the role noun, and the nouns that are a label before punctuation
# alone ("dev: …" and "support: …" more often name an environment or a team)
ROLE_LABEL_TAILS = frozenset({"team", "person", "side", "q", "question"})
ROLE_LABEL_NOUNS = frozenset({"mgr", "manager", "hr", "engineer", "developer"})
ROLE_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("i", "manage"), "MG"),
    (("my", "direct", "reports"), "MG"),
    (("my", "reports"), "MG"),
    (("my", "report"), "MG"),
)

# Everyday topics outside any enterprise IT registry; IT words near them are used loosely.
OFF_TOPIC_WORDS = frozenset(
    words_of(
        """pizza burger sushi food recipe recipes cook cooking bake baking dinner lunch breakfast
        restaurant restaurants coffee tea beer wine cocktail dessert cake kitchen sink fridge
        oven weather rain raining sunny forecast temperature snow umbrella football soccer
        basketball baseball tennis golf cricket hockey goal goalsleague championship player
        players coach sport sports workout gym fitness diet calories yoga marathon movie movies
        film films song songs music album band concert lyrics poem poems poetry joke jokes
        riddle novel game games chess puzzle crossword board boardgame trivia president planet
        moon horoscope zodiac birthday wedding girlfriend boyfriend wife husband dating kids
        baby dog pet pets flight flights hotel hotels airbnb cruise beach passport visa tourist
        trip sightseeing stock stocks crypto bitcoin invest investing mortgage loan insurance
        car cars tyre tire mechanic plumbing plumber pipe pipes faucet toilet garden gardening
        lawn plant plants furniture paint painting medicine headache flu fever translate
        translation french spanish german italian chinese japanese"""
    )
)

# --- generalisation: paraphrases, symptoms, indirect intents, everyday context ---

# Common English paraphrases of enterprise IT terms, rewritten to the usual term before
# matching, so a registry that lists "mfa" or "service desk" is found from "2-step
# verification" or "help desk". General IT usage, not any registry's or question set's words.
IT_SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("two", "step", "verification"): ("mfa",),
    ("2", "step", "verification"): ("mfa",),
    ("two", "step", "authentication"): ("mfa",),
    ("2", "step", "authentication"): ("mfa",),
    ("two", "step"): ("mfa",),
    ("2", "step"): ("mfa",),
    ("2sv",): ("mfa",),
    ("second", "factor"): ("mfa",),
    ("multi", "factor"): ("mfa",),
    ("two", "factor"): ("mfa",),
    ("verification", "code"): ("mfa", "code"),
    ("verification", "codes"): ("mfa", "codes"),
    ("one", "time", "code"): ("mfa", "code"),
    ("help", "desk"): ("service", "desk"),
    ("helpdesk",): ("service", "desk"),
    ("it", "support"): ("service", "desk"),
    ("support", "desk"): ("service", "desk"),
    ("help", "line"): ("hotline",),
    ("helpline",): ("hotline",),
    ("new", "joiner"): ("new", "hire"),
    ("new", "joiners"): ("new", "hire"),
    ("new", "starter"): ("new", "hire"),
    ("new", "starters"): ("new", "hire"),
    ("new", "employee"): ("new", "hire"),
    ("new", "employees"): ("new", "hire"),
    ("new", "colleague"): ("new", "hire"),
    ("joiner",): ("new", "hire"),
    ("joiners",): ("new", "hire"),
    ("departing", "employee"): ("leaver",),
    ("skip", "level"): ("manager", "of"),
    ("line", "manager"): ("manager",),
    ("boss",): ("manager",),
    ("org", "structure"): ("org", "chart"),
    ("reporting", "structure"): ("reporting", "line"),
    ("retro",): ("retrospective",),
    ("retros",): ("retrospective",),
    ("post", "incident", "review"): ("postmortem",),
    ("lessons", "learned"): ("postmortem",),
    ("boto3",): ("aws", "python"),
    ("boto",): ("aws", "python"),
    ("kick", "off", "a", "build"): ("run", "build"),
    ("kick", "off", "the", "build"): ("run", "build"),
    ("kick", "off"): ("run",),
    ("remote", "access", "client"): ("vpn", "client"),
    ("remote", "access"): ("vpn",),
    ("days", "off"): ("time", "off"),
    ("day", "off"): ("time", "off"),
    ("sick", "day"): ("sick", "leave"),
    ("sick", "days"): ("sick", "leave"),
    ("expense", "report"): ("expense", "claim"),
    ("merge", "request"): ("pull", "request"),
    ("merge", "requests"): ("pull", "request"),
    ("api", "key"): ("api", "token"),
    ("api", "keys"): ("api", "token"),
    ("apikey",): ("api", "token"),
    ("certs",): ("cert",),
    ("ssl", "warning"): ("cert", "warning"),
    ("ssl", "warnings"): ("cert", "warnings"),
    ("rota",): ("rotation",),
    ("pager",): ("paging",),
    ("gh", "actions"): ("github", "actions"),
    ("k8",): ("k8s",),
    ("wifi",): ("network",),
    ("paycheck",): ("payroll",),
    ("paycheque",): ("payroll",),
    ("payslip",): ("payroll",),
    ("salary",): ("payroll",),
    ("hacked",): ("security", "incident"),
    ("compromised",): ("security", "incident"),
    ("wi", "fi"): ("network",),
}

# A state that is a failure without a failure word ("the cert has expired", "pods keep
# restarting", "pages show SSL warnings"): counted when said of something, not as a modifier.
SYMPTOM_WORDS = frozenset(
    words_of(
        """expired expiring restarting disconnecting disconnected dropping dropped stuck missing
        slow stopped red loop loops dying lagging rebooting looping flickering bouncing rejected
        vanished
        disappeared gone corrupted hanging"""
    )
)
# Words before a symptom word that make it a statement about the thing ("has expired").
SYMPTOM_LEADS = frozenset(
    words_of(
        """is are was were has have had been got gets keeps keep kept just suddenly randomly
        constantly always still already now being seems seem going goes went turned turning
        turns"""
    )
)
# Words after a symptom word that make it a statement ("expired yesterday", "stuck on").
SYMPTOM_TAILS = frozenset(
    words_of(
        """again anymore since after today yesterday every all on at in for now randomly
        constantly overnight this when while"""
    )
)
# People who say or ask things: "everyone keeps saying …" reports talk, not a failure
# ("kubectl keeps saying …" is one).
SPEAKERS = frozenset(
    words_of(
        """everyone everybody people someone somebody staff colleagues coworkers folks users
        customers contractor contractors he she they boss team"""
    )
)
REPORTING_VERBS = frozenset(words_of("saying telling asking"))
# Words around "timeout" that make it a setting ("session timeout", "timeout hrs").
TIMEOUT_SETTING_LEADS = frozenset(words_of("session sessions idle inactivity"))
TIMEOUT_SETTING_TAILS = frozenset(
    words_of("hrs hours minutes mins length duration value setting settings policy limit")
)
# Symptom nouns seen or shown ("shows a certificate warning", "getting an error").
SYMPTOM_NOUNS = frozenset(words_of("warning warnings alert popup message messages banner"))
SEEING_VERBS = frozenset(
    words_of(
        """show shows showing showed see seeing saw get getting gets got throw throws throwing
        pops popping display displays displaying give gives giving"""
    )
)
# Nouns naming a document or a look-up target: a failure word before them is a modifier
# ("outage escalation contacts", "high cpu alert runbook"), not a failure.
LOOKUP_NOUNS = frozenset(
    words_of(
        """runbook runbooks playbook playbooks contact contacts template templates policy
        policies procedure procedures process checklist owner owners channel docs
        documentation guide page wiki"""
    )
)
# Explanations asked indirectly ("how come", "the reason we", "the idea behind").
EXPLAIN_MORE_PHRASES = (
    ("how", "come"),
    ("whats", "the", "reason"),
    ("what", "is", "the", "reason"),
    ("the", "reason", "we"),
    ("reason", "why"),
    ("rationale",),
    ("idea", "behind"),
    ("thinking", "behind"),
    ("logic", "behind"),
    ("why", "do", "we", "have", "to"),
    ("what", "is", "the", "purpose"),
    ("whats", "the", "purpose"),
    ("what", "is", "the", "point"),
    ("what", "good", "is"),
    ("what", "are", "the", "benefits"),
    ("benefits", "of"),
    ("why", "bother"),
    ("help", "me", "understand"),
)
# How-tos asked without "how do I" ("steps for getting", "what do I need to do to").
HOWTO_MORE_PHRASES = (
    ("steps", "for"),
    ("what", "do", "i", "need", "to", "do"),
    ("what", "do", "i", "have", "to", "do"),
    ("what", "do", "we", "need", "to", "do"),
    ("what", "do", "we", "have", "to", "do"),
    ("what", "should", "i", "do", "to"),
    ("whats", "the", "procedure"),
    ("what", "is", "the", "procedure"),
    ("whats", "the", "process", "for"),
    ("what", "is", "the", "process", "for"),
    ("whats", "the", "process", "to"),
    ("procedure", "for"),
    ("procedure", "to"),
    ("process", "for"),
    ("instructions", "for"),
    ("whats", "involved", "in"),
    ("what", "is", "involved", "in"),
    ("how", "would", "one"),
    ("how", "does", "one"),
    ("how", "can", "one"),
    ("guide", "to"),
    ("walk", "through"),
    ("the", "way", "to"),
    ("is", "there", "a", "way", "to"),
)
# Everyday life: a few of these around loosely used IT words ("deploy a tent", "my kids'
# team") make a question out of scope. Compared by stem, so plurals count.
EVERYDAY_WORDS = frozenset(
    words_of(
        """kid kids child children son daughter mum mom dad mother father parent parents
        grandma grandmother grandpa grandfather family cousin uncle aunt niece nephew
        neighbour neighbor friend friends house apartment bedroom bed mattress
        sofa couch garage attic bathroom shower carpet curtain roof fence driveway car
        tyre tyres tire tires bike bicycle motorbike brakes garden backyard lawn
        mower hedge flower flowers soil compost food meal meals snack grocery
        groceries supermarket shopping shoe shoes clothes dress shirt jacket holiday
        honeymoon camping tent hiking hike fishing picnic island islands beach resort
        parachute skydiving climbing ski skiing surfing sailing boat kayak bbq barbecue
        grill brew brewing homebrew gaming gamer playstation xbox nintendo
        videogame knitting sewing crochet guitar piano violin choir dance
        dancing theatre theater church school homework teacher classroom exam exams
        university appreciation gift gifts birthday christmas halloween
        easter anniversary honeymoon vacation souvenir photos photo album scrapbook
        renovation renovate decorate decorating diy plumbing haircut makeup skincare
        perfume jewelry jewellery necklace hamster cat cats puppy kitten fish aquarium
        horse farm chicken chickens cow recipe grandchildren teenager toddler nanny
        babysitter soccer rugby volleyball swimming trampoline"""
    )
)

# Preparation asked without "plan" ("what should we line up", "map out the offboarding").
PLAN_MORE_PHRASES = (
    ("line", "up"),
    ("lined", "up"),
    ("map", "out"),
    ("in", "place", "before"),
    ("has", "to", "be", "in", "place"),
    ("needs", "to", "be", "in", "place"),
    ("where", "do", "we", "start"),
    ("where", "should", "we", "start"),
    ("what", "needs", "sorting"),
    ("set", "up", "beforehand"),
    ("beforehand",),
)
# Openings that ask why, even about a failure ("how come we can't just use SSH?").
EXPLAIN_LEADS = (
    ("how", "come"),
    ("whats", "the", "point"),
    ("what", "is", "the", "point"),
    ("whats", "the", "reason"),
    ("whats", "the", "reasoning"),
    ("what", "is", "the", "reasoning"),
    ("whats", "the", "rationale"),
    ("why", "do", "we", "have", "to"),
    ("why", "cant", "we"),
    ("why", "can", "not", "we"),
    ("why", "arent", "we"),
    ("why", "dont", "we"),
)
# Said of a thing's state: a failure ("the checks are red", "it just sits there").
FAILURE_MORE_PHRASES = (
    ("out", "of", "nowhere"),
    ("what", "now"),
    ("sits", "there"),
    ("going", "red"),
    ("goes", "red"),
    ("went", "red"),
    ("turned", "red"),
    ("are", "red"),
    ("is", "red"),
    ("comes", "back"),
    ("come", "back", "with"),
    ("stopped", "working"),
    ("no", "longer"),
)
