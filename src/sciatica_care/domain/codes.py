"""The closed vocabularies of history@1 and plan@1: findings, regions, techniques, areas."""

from typing import Literal, get_args

FindingCode = Literal[
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "bilateral_leg_symptoms",
    "new_sexual_dysfunction",
    "progressive_weakness",
    "suspected_dvt",
    "fever_or_infection_signs",
    "significant_trauma",
    "severe_motor_deficit",
    "widespread_neurology",
    "possible_aaa",
    "cancer_history",
    "unexplained_weight_loss",
    "severe_night_pain",
    "immunosuppression",
    "iv_drug_use",
    "long_term_steroids",
    "thoracic_pain",
    "constant_nonmechanical_pain",
    "pregnancy",
    "heart_condition",
    "confirmed_dvt",
    "bone_metastases",
    "anticoagulants",
    "bleeding_disorder",
    "osteoporosis",
    "recent_surgery",
    "skin_lesion",
    "diabetes",
    "numbness",
    "recent_fracture",
    "low_platelets",
    "past_dvt",
    "varicose_veins",
    "lymphoedema",
    "peripheral_arterial_disease",
    "inflammatory_arthritis",
    "minor_trauma",
]

# Red flags the engine raises itself from a combination of facts (protocol `[combinations]`),
# or from the client's age; they are plan codes only, never screened directly.
DerivedCode = Literal[
    "suspected_mscc",
    "possible_spinal_infection",
    "possible_fracture",
    "age_new_back_pain",
    "older_age",
    "neurology_spreading",
]

# How an emergency or urgent finding ended, as a clinician records it (protocol 2026.2, A1).
OutcomeResult = Literal["excluded", "treated", "seen_no_action"]
# Where a screening's answers came from: a full screening, or signs a client reported at a
# check-in (never taken as a full screening).
ScreeningSource = Literal["screening", "check_in"]

# The neurological examination (protocol 2026.2, E4): lower-limb myotomes and dermatomes by side,
# the knee and ankle reflexes, MRC power 0-5, and the nerve tension tests by side.
Myotome = Literal[
    "L2_left", "L2_right", "L3_left", "L3_right", "L4_left", "L4_right",
    "L5_left", "L5_right", "S1_left", "S1_right",
]  # fmt: skip
Dermatome = Literal[
    "L2_left", "L2_right", "L3_left", "L3_right", "L4_left", "L4_right",
    "L5_left", "L5_right", "S1_left", "S1_right", "S2_left", "S2_right",
]  # fmt: skip
ReflexSite = Literal["knee_left", "knee_right", "ankle_left", "ankle_right"]
Side = Literal["left", "right"]
MrcGrade = Literal[0, 1, 2, 3, 4, 5]
ReflexFinding = Literal["normal", "reduced", "absent", "brisk"]
SensationFinding = Literal["normal", "reduced", "absent"]
TensionSign = Literal["positive", "negative"]

Region = Literal[
    "lower_back",
    "saddle",
    "buttock_left",
    "buttock_right",
    "anterolateral_thigh_left",
    "anterolateral_thigh_right",
    "posterior_thigh_left",
    "posterior_thigh_right",
    "knee_left",
    "knee_right",
    "medial_calf_left",
    "medial_calf_right",
    "lateral_calf_left",
    "lateral_calf_right",
    "posterior_calf_left",
    "posterior_calf_right",
    "dorsum_of_foot_left",
    "dorsum_of_foot_right",
    "great_toe_left",
    "great_toe_right",
    "medial_foot_left",
    "medial_foot_right",
    "lateral_foot_left",
    "lateral_foot_right",
    "sole_left",
    "sole_right",
    "heel_left",
    "heel_right",
]

Area = Literal[
    "lumbar_paraspinals",
    "quadratus_lumborum",
    "gluteals",
    "piriformis",
    "hamstrings",
    "calves",
    "hip_flexors",
]

Technique = Literal["swedish", "deep_tissue", "trigger_point"]
Pressure = Literal["light", "moderate", "firm"]
SelfCareItem = Literal["stay_active", "walking", "swimming", "posture", "heat", "cold"]
Layer = Literal["pain", "numbness", "tingling"]

FindingLevel = Literal["emergency", "urgent", "see_doctor", "precaution", "noted"]
TriageLevel = Literal["unscreened", "clear", "precautions", "see_doctor", "urgent", "emergency"]
MassageStatus = Literal["go", "modified", "on_hold"]
Interval = Literal["weekly", "every_2_weeks", "monthly", "on_hold"]
Phase = Literal["initial", "step_down", "maintenance", "on_hold"]
ProgressStatus = Literal[
    "insufficient_data", "worse", "unchanged", "improved", "much_improved", "recovered"
]
NerveRoot = Literal["L4", "L5", "S1"]
Therapy = Literal["exercise_therapy", "spinal_manipulation", "acupuncture", "psychological_support"]
Stance = Literal["recommended", "optional", "not_recommended", "on_hold"]
EvidenceGrade = Literal["moderate", "low", "very_low", "conflicting", "guideline_against"]
Centralisation = Literal["centralising", "peripheralising", "unchanged"]

FINDING_CODES: tuple[str, ...] = get_args(FindingCode)
DERIVED_CODES: tuple[str, ...] = get_args(DerivedCode)
OUTCOME_RESULTS: tuple[str, ...] = get_args(OutcomeResult)
SCREENING_SOURCES: tuple[str, ...] = get_args(ScreeningSource)
MYOTOMES: tuple[str, ...] = get_args(Myotome)
DERMATOMES: tuple[str, ...] = get_args(Dermatome)
REFLEX_SITES: tuple[str, ...] = get_args(ReflexSite)
SIDES: tuple[str, ...] = get_args(Side)
REFLEX_FINDINGS: tuple[str, ...] = get_args(ReflexFinding)
SENSATION_FINDINGS: tuple[str, ...] = get_args(SensationFinding)
TENSION_SIGNS: tuple[str, ...] = get_args(TensionSign)
REGIONS: tuple[str, ...] = get_args(Region)
AREAS: tuple[str, ...] = get_args(Area)
TECHNIQUES: tuple[str, ...] = get_args(Technique)
PRESSURES: tuple[str, ...] = get_args(Pressure)
SELF_CARE_ITEMS: tuple[str, ...] = get_args(SelfCareItem)
LAYERS: tuple[str, ...] = get_args(Layer)
THERAPIES: tuple[str, ...] = get_args(Therapy)
STANCES: tuple[str, ...] = get_args(Stance)
EVIDENCE_GRADES: tuple[str, ...] = get_args(EvidenceGrade)

# Severity order of a finding's class inside the protocol, mildest first.
# A `noted` finding changes nothing alone; it counts only inside a combination.
FINDING_CLASSES: tuple[str, ...] = (
    "noted",
    "modify",
    "clearance_needed",
    "see_doctor",
    "urgent",
    "emergency",
)

TRIAGE_ORDER: tuple[str, ...] = (
    "unscreened",
    "clear",
    "precautions",
    "see_doctor",
    "urgent",
    "emergency",
)

# The triage levels that stop massage and are said first, before anything else, in every shell.
ALERT_LEVELS: tuple[str, ...] = ("emergency", "urgent")
# The levels whose urgency is worded once, in the protocol's `[levels]` table.
WORDED_LEVELS: tuple[str, ...] = ("emergency", "urgent", "see_doctor")
# The finding classes a clinician's clearance can lift; a red flag is never cleared.
CLEARABLE_CLASSES: tuple[str, ...] = ("see_doctor", "clearance_needed")


def is_alert(level: str) -> bool:
    """Whether a triage level (or a finding's level) is an emergency or urgent red flag."""
    return level in ALERT_LEVELS


def can_be_cleared(finding_class: str) -> bool:
    """Whether a clinician's clearance can lift a finding of this class."""
    return finding_class in CLEARABLE_CLASSES
