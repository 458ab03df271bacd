"""Citation audit of overdose and withdrawal: each defect found by reading the labels, as a regression test.

For training only, not for treating patients.

Each test is named after the defect and quotes the label words it rests on (shared/seeds: lionova is Norwegian,
the lioresal text an English translation, baclorex a Turkish leaflet).
"""

from __future__ import annotations

from itbcore import overdose, withdrawal
from itbcore.sources import differences

L49, LIO_OD = "lionova 4.9", "lioresal Overdose"
L44, LIO_STOP = "lionova 4.4", "lioresal Dosing: discontinuation of treatment"


def _finding(a, code):
    (f,) = [f for f in a.findings if f.code == code]
    return f


def _action(a, code):
    (x,) = [x for x in a.actions if x.code == code]
    return x


# ---------------------------------------------------------------- overdose


def test_lioresal_no_antidote_statement_is_given_under_the_lioresal_profile():
    # lioresal Overdose: "There is no specific antidote for the treatment of an overdose of the drug that has
    # occurred during its intrathecal administration."  lionova 4.9: "Det finnes ingen spesifikk antidot til
    # behandling av overdosering av baklofen."
    lio = _finding(overdose.assess(["coma"], label="lioresal"), "no_antidote")
    assert lio.source == LIO_OD and "no specific antidote" in lio.message and "physostigmine" in lio.message
    lio_nova = _finding(overdose.assess(["coma"], label="lionova"), "no_antidote")
    assert lio_nova.source == L49 and "no specific antidote" in lio_nova.message
    assert "supportive" not in lio_nova.message  # "Generelt bør følgende trinn følges": steps, not "supportive care"


def test_physostigmine_difference_does_not_imply_only_lionova_names_no_antidote():
    # Both labels: lionova 4.9 "Det finnes ingen spesifikk antidot"; lioresal Overdose "There is no specific
    # antidote … Separate reports indicate that … can cause physostigmine, used intravenously."
    d = differences("physostigmine")[0]
    assert "no specific antidote" in d.values["lioresal"] and "no specific antidote" in d.values["lionova"]
    assert "Both labels" in d.note
    (practice,) = [f for f in overdose._CAUTIONS if f.code == "physostigmine_practice_against"]
    assert "lionova label names no antidote" not in practice.message and "both labels" in practice.message


def test_lionova_csf_drain_is_not_worded_with_lioresals_early_stage():
    # lionova 4.9: "Hvis lumbalpunksjon ikke er kontraindisert, kan det trekkes ut 30 til 40 ml CSF" (no stage);
    # lioresal Overdose: "At an early stage of an overdose, if a lumbar puncture is not contraindicated, consider
    # removing 30-40 ml of cerebrospinal fluid".
    nova = _action(overdose.assess(["coma"], label="lionova"), "csf_drain")
    lio = _action(overdose.assess(["coma"], label="lioresal"), "csf_drain")
    assert nova.source == L49 and "early" not in nova.text.lower()
    assert lio.source == LIO_OD and "early stage" in lio.text
    assert {d.code for d in differences()} >= {"csf_drain_timing"}


def test_seizures_during_recovery_is_not_cited_to_lioresal_overdose():
    # lionova 4.9: "Krampeanfall kan forekomme med økende dosering eller, mer vanlig, under rekonvalesens etter en
    # overdose."  lioresal Overdose only lists "convulsions" among the "Symptoms of overdose".
    for label in ("lionova", "lioresal"):
        assert _finding(overdose.assess(["seizures"], label=label), "seizures_in_recovery").source == L49
    assert differences("seizures_in_recovery")


def test_overdose_seizure_sign_cited_to_all_three_texts_carries_no_lionova_only_wording():
    # The sign cites lionova 4.9, lioresal Overdose and baclorex 3 ("Konvülziyon (nöbet)"); only lionova says
    # "mer vanlig, under rekonvalesens".
    sign = overdose.SIGNS["seizures"]
    assert {"lioresal Overdose", "baclorex 3"} <= set(sign.source.split("; "))
    assert "recovery" not in sign.text


def test_lioresal_staggering_is_an_overdose_sign():
    # lioresal Overdose: "Symptoms of overdose: excessive muscle hypotension, drowsiness, staggering, dizziness, …"
    sign = overdose.SIGNS["staggering"]
    assert sign.source == LIO_OD and sign.severity == "mild"
    assert overdose.assess(["staggering"], label="lioresal").severity == "mild"


def test_physostigmine_action_cited_to_lioresal_carries_no_practice_wording():
    # lioresal Overdose: "the reverse development of side effects from the central nervous system, especially
    # drowsiness and respiratory depression, can cause physostigmine, used intravenously" — the practice caution
    # is its own finding, cited to practice guidance.
    a = overdose.assess(["coma"], label="lioresal")
    physo = _action(a, "physostigmine")
    assert physo.source == LIO_OD and "practice" not in physo.text
    assert _finding(a, "physostigmine_disputed").source.startswith("practice guidance")


# ---------------------------------------------------------------- withdrawal


def test_lionova_severe_headache_and_insomnia_are_withdrawal_signs():
    # lionova 4.4: "Andre symptomer på brå seponering kan være: hallusinasjoner, psykotiske, maniske eller
    # paranoide sinnstilstander, alvorlig hodepine og søvnløshet." — other symptoms, not the early ones
    # ("Tidlige seponeringssymptomer inkluderer tilbakevending av opprinnelig spastisitet, kløe, lavt blodtrykk,
    # parestesier og priapisme"), staged as hallucinations are.
    for code in ("severe_headache", "insomnia"):
        sign = withdrawal.SIGNS[code]
        assert sign.source == L44 and sign.stage == withdrawal.SIGNS["hallucinations"].stage == "advanced"
    assert withdrawal.assess(["severe_headache", "insomnia"]).stage == "advanced"


def test_baclorex_fast_heartbeat_is_a_withdrawal_sign():
    # baclorex 3: "kas spazmları ve artmış kas sertliği, hızlı kalp atışı, ateş, bilinç bulanıklığı, …"
    assert withdrawal.SIGNS["tachycardia"].source == "baclorex 3"


def test_lioresal_withdrawal_bridge_is_not_worded_with_lionovas_routes():
    # lionova 4.4: "GABA-agonister som oral eller enteral baklofen eller benzodiazepiner administrert oralt,
    # enteralt eller intravenøst"; lioresal: "oral or parenteral administration of GABA-receptor agonists such as
    # the liorasal drug with intravenous administration of benzodiazepines".
    nova = withdrawal.assess(["pruritus"], label="lionova")
    lio = withdrawal.assess(["pruritus"], label="lioresal")
    assert _action(nova, "benzodiazepines").source == L44 and "enteral" in _action(nova, "benzodiazepines").text
    benzo = _action(lio, "benzodiazepines")
    assert benzo.source == LIO_STOP and " enteral" not in benzo.text and "oral, enteral" not in benzo.text
    assert "intravenously" in benzo.text
    oral = _action(lio, "oral_baclofen")
    assert oral.source == LIO_STOP and "parenterally" in oral.text and " enteral" not in oral.text
    # lioresal: "Oral or parenteral isolated administration of the drug Liorasal does not provide a delay in the
    # symptoms of discontinuation of baclofen."
    assert _finding(lio, "oral_baclofen_not_enough").source == LIO_STOP
    assert differences("withdrawal_bridge")


def test_lioresal_profile_cites_lioresal_for_the_mimics_and_the_advice_without_signs():
    # lioresal: "Clinical manifestations similar to dysreflexia, sepsis, malignant hyperthermia, malignant
    # neuroleptic syndrome …"; "Patients, as well as caregivers, should be informed of … the signs and early
    # symptoms arising from the abrupt withdrawal of the drug."
    assert _finding(withdrawal.assess(["high_fever"], label="lioresal"), "mimics").source == LIO_STOP
    assert _finding(withdrawal.assess([], label="lioresal"), "no_withdrawal_signs").source == LIO_STOP
    assert withdrawal.assess([], label="lionova").source == L44
