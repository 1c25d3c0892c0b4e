"""Codes in plain words, for people: one dictionary for the web pages, the CLI and the report.

Words are only for people; the plan's JSON keeps its codes. A code not listed reads as itself
with spaces (`deep_tissue` would read `deep tissue`).
"""

WORDS: dict[str, str] = {
    # triage levels and finding classes
    "unscreened": "not screened yet",
    "see_doctor": "see a doctor",
    "clearance_needed": "clearance needed",
    "modify": "precaution",
    # massage and sessions
    "on_hold": "on hold",
    "every_2_weeks": "every two weeks",
    "step_down": "step-down",
    "deep_tissue": "deep tissue",
    "trigger_point": "trigger point",
    "lumbar_paraspinals": "lower back muscles",
    "quadratus_lumborum": "quadratus lumborum (side of the lower back)",
    "hip_flexors": "hip flexors",
    "stay_active": "stay active",
    # progress
    "insufficient_data": "not enough readings yet",
    "much_improved": "much improved",
    # instruments
    "odi": "Oswestry",
    "startback": "STarT Back",
    # other therapies and the evidence for them
    "exercise_therapy": "exercise therapy",
    "spinal_manipulation": "spinal manipulation (chiropractic)",
    "psychological_support": "psychological support",
    "not_recommended": "not recommended",
    "very_low": "very low",
    "guideline_against": "a guideline advises against",
    # findings whose code reads poorly as words
    "possible_aaa": "possible abdominal aortic aneurysm",
    "confirmed_dvt": "confirmed or treated DVT (blood clot)",
    "past_dvt": "past DVT (blood clot)",
    "suspected_dvt": "suspected DVT (blood clot)",
    "constant_nonmechanical_pain": "constant pain that nothing eases",
    "widespread_neurology": "unsteady walking or spreading nerve signs",
    "severe_motor_deficit": "severe weakness or foot drop",
    "noted": "noted",
    # red flags the engine raises from a combination or from age
    "suspected_mscc": "suspected spinal cord compression by cancer",
    "possible_spinal_infection": "possible spinal infection",
    "possible_fracture": "possible fracture",
    "age_new_back_pain": "new back pain at this age",
    "older_age": "older age",
    "neurology_spreading": "nerve symptoms spreading",
    # outcomes of red flags, and where a screening came from
    "excluded": "excluded",
    "treated": "treated",
    "seen_no_action": "seen, no action needed",
    "check_in": "reported at a check-in",
}


def words(code: object) -> str:
    """A code in plain words: `see_doctor` -> `see a doctor`."""
    text = str(code)
    return WORDS.get(text, text.replace("_", " "))
