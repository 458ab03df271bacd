"""Regression tests of the citation audit of screening: each defect found, named after it, with the label's words.

For training only, not for treating patients.

Each test quotes the passage of the label section the rule now rests on (checked in the seed text when the seeds
are beside the project) and checks that the core says it, under the profile whose label it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from itbcore import screening as scr
from itbcore.errors import EligibilityError
from itbcore.patient import Patient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_citation_audit import SEEDS, fold, section_text


def says(source: str, passage: str) -> None:
    """The label section ``source`` holds ``passage`` (whitespace folded)."""
    if SEEDS.exists():
        assert fold(passage) in section_text(source), f"{passage!r} is not in {source}"


def finding(patient: Patient, code: str, label: str):
    found = [f for f in scr.screening_warnings(patient, label) if f.code == code]
    assert len(found) == 1, [f.code for f in scr.screening_warnings(patient, label)]
    return found[0]


# --- the caution list, word by word ------------------------------------------------------------------------------


def test_lioresal_hepatic_caution_is_not_cited_to_carefully():
    # lioresal Carefully names no liver disease; lioresal Dosing and Administration (Special patient groups):
    says(
        "lioresal Dosing and Administration",
        "Since the liver does not play a significant role in the metabolism of baclofen during intrathecal "
        "administration, a dose change in liver damage is not required.",
    )
    if SEEDS.exists():
        assert "liver" not in section_text("lioresal Carefully")
    f = finding(Patient(40, "spinal", conditions=["hepatic_impairment"]), "caution_hepatic_impairment", "lioresal")
    assert f.source == "lioresal Dosing and Administration" and f.severity == "info"
    assert "no dose change" in f.message and "Use with particular caution" not in f.message
    # lionova 4.4 keeps it on its caution list: "Alvorlig nedsatt leverfunksjon."
    says("lionova 4.4", "Alvorlig nedsatt leverfunksjon.")
    f = finding(Patient(40, "spinal", conditions=["hepatic_impairment"]), "caution_hepatic_impairment", "lionova")
    assert f.source == "lionova 4.4" and f.severity == "warning"


def test_lioresal_bulbar_paresis_is_not_cited_to_carefully():
    # lioresal Carefully does not name bulbar paresis; its Special instructions (phase of dose selection) say:
    says(
        "lioresal Special instructions",
        "especially in patients with heart, lung, respiratory muscle weakness, simultaneous use of benzodiazepine "
        "drugs or narcotic analgesics (that is, if there is an increased risk of respiratory depression), the "
        "functions of the respiratory and cardiovascular systems must be carefully monitored.",
    )
    if SEEDS.exists():
        assert "bulbar" not in section_text("lioresal Carefully")
    f = finding(Patient(40, "spinal", conditions=["bulbar_paresis"]), "caution_bulbar_paresis", "lioresal")
    assert f.source == "lioresal Special instructions"
    assert "does not name it" in f.message and "monitored" in f.message


def test_lioresal_csf_flow_finding_says_what_carefully_says():
    says(
        "lioresal Carefully",
        "the antispastic activity of the drug may differ from that in patients with normal "
        "CSF circulation, due to the uneven distribution of baclofen in the subarachnoid space.",
    )
    f = finding(Patient(40, "spinal", conditions=["impaired_csf_flow"]), "caution_impaired_csf_flow", "lioresal")
    assert f.source == "lioresal Carefully" and "may differ" in f.message and "unevenly" in f.message


# --- driving, pregnancy, fertility -------------------------------------------------------------------------------


def test_lioresal_driving_finding_uses_lioresal_words():
    says(
        "lioresal Effect on the ability to drive",
        "Patients should be warned that during the treatment period, caution at management of transport means and "
        "engaging in potentially hazardous activities requiring increased attention.",
    )
    f = finding(Patient(40, "spinal", conditions=["drives"]), "driving", "lioresal")
    assert f.source == "lioresal Effect on the ability to drive"
    assert "warn the patient to be careful when driving" in f.message
    # lionova's words ("greatly reduce", "reassess it regularly") are not lioresal's
    assert "greatly" not in f.message and "reassess" not in f.message
    says("lionova 4.7", "Pasienter som får slike bivirkninger bør frarådes å kjøre bil og betjene maskiner.")
    assert (
        "reassess it regularly" in finding(Patient(40, "spinal", conditions=["drives"]), "driving", "lionova").message
    )


def test_lioresal_pregnancy_finding_uses_lioresal_words():
    says(
        "lioresal Pregnancy and lactation",
        "Drug Liorasal® Intrathecal should be used during pregnancy only if necessary.",
    )
    f = finding(Patient(30, "spinal", conditions=["pregnancy"]), "pregnancy", "lioresal")
    assert f.source == "lioresal Pregnancy and lactation" and "only if necessary" in f.message
    assert "outweighs" not in f.message


@pytest.mark.parametrize(
    "label, source, passage, words",
    [
        (
            "lionova",
            "lionova 4.6",
            "Dyrestudier har vist at intratekal baklofen sannsynligvis ikke har noen negativ effekt på fertilitet",
            "probably has no negative effect on fertility",
        ),
        (
            "lioresal",
            "lioresal Pregnancy and lactation",
            "The influence of baclofen on fertility is unlikely from experimental data.",
            "an effect of baclofen on fertility is unlikely",
        ),
    ],
)
def test_fertility_is_taught_beside_pregnancy_and_breast_feeding(label, source, passage, words):
    says(source, passage)
    f = finding(Patient(30, "spinal", conditions=["planning_pregnancy"]), "fertility", label)
    assert f.source == source and words in f.message and f.severity == "info"


# --- interactions ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, passage",
    [
        ("kidney_affecting", "Böbrekleri de etkileyen diğer ilaçlar (ibuprofen gibi)"),
        ("antiepileptic", "Epilepsi ilaçları"),
    ],
)
@pytest.mark.parametrize("label", ["lionova", "lioresal"])
def test_medicines_only_baclorex_names_are_interactions(code, passage, label):
    says("baclorex 2", "Bazı ilaçlar tedavinizi engelleyebilir.")
    says("baclorex 2", passage)
    assert scr.INTERACTIONS[code].source == "baclorex 2"
    f = finding(Patient(40, "spinal", medicines=[code]), f"interaction_{code}", label)
    assert f.source == "baclorex 2" and "tell the doctor or nurse" in f.message


@pytest.mark.parametrize(
    "label, source, passage",
    [
        (
            "lionova",
            "lionova 4.5",
            "Det finnes hittil ingen informasjon om samtidig bruk av baklofen og andre intratekalt administrerte "
            "legemidler.",
        ),
        (
            "lioresal",
            "lioresal Interaction",
            "other drugs used intrathecally, not investigated, the safety of the combination is also not established.",
        ),
    ],
)
def test_other_intrathecal_drugs_are_an_interaction(label, source, passage):
    says(source, passage)
    says("baclorex 2", "Omurganız içerisine başka her hangi bir enjeksiyon alıyorsanız,")
    row = scr.INTERACTIONS["other_intrathecal"]
    assert row.source == "lionova 4.5; lioresal Interaction; baclorex 2"
    f = finding(Patient(40, "spinal", medicines=["other_intrathecal"]), "interaction_other_intrathecal", label)
    assert f.source == f"{source}; baclorex 2"


def test_lioresal_cns_depressant_interaction_does_not_tell_to_avoid_alcohol():
    # lioresal Interaction: the CNS effects of alcohol "can be enhanced"; only lionova 4.5 says to avoid alcohol.
    says(
        "lioresal Interaction",
        "The oppressive effects on the central nervous system of alcohol and other drugs "
        "(including analgesics, neuroleptics, benzodiazepines, anxiolytics) can be enhanced",
    )
    says(
        "lionova 4.5",
        "Samtidig inntak av alkohol bør særlig unngås ettersom interaksjoner med alkohol er uforutsigbare.",
    )
    p = Patient(40, "spinal", medicines=["cns_depressant"])
    assert "avoid alcohol" not in finding(p, "interaction_cns_depressant", "lioresal").message.lower()
    assert "Avoid alcohol" in finding(p, "interaction_cns_depressant", "lionova").message
    assert "lionova 4.5" in scr.INTERACTIONS["cns_depressant"].action


# --- the first-fill checklist ------------------------------------------------------------------------------------


def test_no_double_dose_is_on_the_checklist():
    says("baclorex 3", "Unutulan dozları dengelemek için çift doz almayınız.")
    items = {i.code: i for i in scr.before_first_fill(Patient(40, "spinal"))}
    assert items["no_double_dose"].source == "baclorex 3" and "double dose" in items["no_double_dose"].text


def test_inspect_solution_is_cited_to_the_texts_that_say_it():
    # lionova 6.6 has no inspection rule; lioresal and baclorex do.
    says(
        "lioresal Dosing and Administration",
        "The drug can not be used when the color changes and the appearance of undissolved visible particles.",
    )
    says("baclorex 5", "Eğer çözelti berrak değilse ve içerisinde partiküller varsa, BACLOREX’i  kullanmayınız.")
    says("lionova 6.6", "Ampullene er kun til engangsbruk.")
    if SEEDS.exists():
        assert "partikl" not in section_text("lionova 6.6")
    item = {i.code: i for i in scr.before_first_fill(Patient(40, "spinal"))}["inspect_solution"]
    assert "baclorex 5" in item.source and "lioresal Dosing and Administration" in item.source
    assert "particles (lioresal Dosing and Administration; baclorex 5)" in item.text


def test_storage_item_gives_each_text_its_own_rule():
    says("lioresal Storage conditions", "The drug should not be frozen")
    says(
        "baclorex 5",
        "Sulandırarak hazırlanmış baklofen çözeltisi, hazırlanmasından sonraki 24 saat içerisinde kullanılmalıdır.",
    )
    text = {i.code: i for i in scr.before_first_fill(Patient(40, "spinal"))}["storage"].text
    assert "lioresal and baclorex" not in text  # neither says all of it: baclorex never "not frozen", lioresal no 24 h
    assert "lioresal: at no more than 30 °C, not frozen" in text and "a diluted solution used within 24 h" in text


# --- wording of screening steps under lioresal -------------------------------------------------------------------


def test_lioresal_pediatric_screening_uses_lioresal_words():
    says(
        "lioresal Dosing: initial phase",
        "The initial test dose in children and adults is usually 25 or 50 μg (for "
        "children, the dose depends on body weight and age).",
    )
    step = scr.next_step(Patient(8, "cerebral"), ["25 ug"], False, "lioresal")
    f = next(f for f in step.findings if f.code == "pediatric_screening")
    assert f.source == "lioresal Dosing: initial phase" and "lionova" not in f.message
    assert "body weight and age" in f.message


def test_lioresal_escalation_says_every_24_h_not_at_least():
    says("lioresal Dosing: initial phase", "the test dose can be increased stepwise by 25 μg every 24 hours")
    step = scr.next_step(Patient(40, "spinal"), ["50 ug"], False, "lioresal")
    f = next(f for f in step.findings if f.code == "escalate")
    assert "at least 24 h" not in f.message and "24 h later" in f.message


def test_lioresal_resuscitation_finding_uses_initial_phase_words():
    says(
        "lioresal Dosing: initial phase",
        "it is necessary to prepare the appropriate resuscitative equipment and medicines",
    )
    f = finding(Patient(40, "spinal"), "resuscitation_equipment", "lioresal")
    assert "equipment and medicines" in f.message and "trained staff" not in f.message


def test_peg_tube_finding_says_what_baclorex_2_says():
    says("baclorex 2", "tüpü varlığı, çocuklarda enfeksiyon görülme sıklığını arttırır.")
    assert "(deep)" not in finding(Patient(8, "spinal", conditions=["peg_tube"]), "peg_tube", "lionova").message


# --- eligibility -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["lionova", "lioresal"])
def test_screening_warnings_and_checklist_refuse_under_4_like_next_step(label):
    p = Patient(3, "spinal")
    with pytest.raises(EligibilityError) as expected:
        scr.next_step(p, ["25 ug"], False, label)
    for call in (lambda: scr.screening_warnings(p, label), lambda: scr.before_first_fill(p, False, label)):
        with pytest.raises(EligibilityError) as exc:
            call()
        assert str(exc.value) == str(expected.value)


def test_lioresal_hypersensitivity_refusal_cites_lioresal_contraindications():
    says("lioresal Contraindications", "Hypersensitivity to baclofen or any other components")
    p = Patient(40, "spinal", conditions=["hypersensitivity"])
    with pytest.raises(EligibilityError, match=r"\(lioresal Contraindications\)"):
        p.require_eligible("lioresal")
    with pytest.raises(EligibilityError, match=r"\(lionova 4.3\)"):
        p.require_eligible("lionova")
