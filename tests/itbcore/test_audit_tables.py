"""Citation audit, area "tables": the adverse-effect table (lionova 4.8, lioresal "Side effects", baclorex 4) and
the label differences, each defect found a regression test that quotes the label text it rests on.

For training only, not for treating patients.
"""

from __future__ import annotations

from collections import Counter

import pytest

from itbcore.adverse_effects import ADVERSE_EFFECTS, BANDS, LISTED, RATING_LABELS, by_band, effect
from itbcore.audit import quotations_for
from itbcore.errors import InputError
from itbcore.label_map import cited_sections, section
from itbcore.sources import differences


def test_lionova_rates_seizures_headache_and_urinary_retention_common_where_lioresal_says_very_often():
    # lionova 4.8, "Nevrologiske sykdommer": "Somnolens." (very common) then "Kramper, letargi, dysartri, hodepine,
    # …" (common); "Urinretensjon, urininkontinens." (common).  lioresal Side effects: "very often - drowsiness
    # (24.8%), headache (19.9%), seizures (10.4%)"; "very often - urinary retention (11.4%)".
    for code, pct in (("seizures", 10.4), ("headache", 19.9), ("urinary_retention", 11.4)):
        e = effect(code)
        assert (e.band_in("lionova"), e.band_in("lioresal"), e.band_in("baclorex")) == ("often", "very often", "often")
        assert e.percent == {"lioresal": pct} and e.differs
        assert e.difference == "adverse_seizures_headache_urinary_retention"
    (d,) = differences("adverse_seizures_headache_urinary_retention")
    assert "common" in d.values["lionova"] and "very often" in d.values["lioresal"] and "10.4 %" in d.values["lioresal"]
    # lionova's very common effects are somnolence and hypotonia only
    assert [e.code for e in by_band("very often")] == ["drowsiness", "hypotonia"]
    assert [e.code for e in by_band("very often", label="lioresal")] == [
        "drowsiness",
        "seizures",
        "headache",
        "hypotonia",
        "urinary_retention",
    ]


def test_every_adverse_effect_is_a_row_of_its_own():
    # the old table lumped "asthenia, pyrexia, pain, chills" and "confusion, sedation, dizziness, …" in one row each
    codes = [e.code for e in ADVERSE_EFFECTS]
    assert len(codes) == len(set(codes)) and all(c.isidentifier() for c in codes)
    assert not [e.effect for e in ADVERSE_EFFECTS if ", " in e.effect and "kinking" not in e.effect]
    for code in (
        "asthenia",
        "pyrexia",
        "pain",
        "chills",
        "confusion",
        "sedation",
        "dizziness",
        "lethargy",
        "insomnia",
        "disorientation",
        "paraesthesia",
        "depression",
        "anxiety",
        "agitation",
        "blurred_vision",
        "diplopia",
    ):
        assert effect(code).band_in("lioresal") == "often", code


def test_the_effects_the_old_table_left_out_are_there_with_each_labels_band():
    # lionova 4.8 "Ataksi, hypotermi, dysfagi, svekket hukommelse, nystagmus." (uncommon); "Skoliose." (not known);
    # lioresal Side effects: "infrequently - ataxia, memory impairment, nystagmus"; "(frequency unknown) … dysphoria
    # … bradypnoe"; baclorex 4 "Bilinmiyor ─ Huzursuzluk (yerinde duramama) ─ Anormal yavaş nefes alma hızı".
    want = {
        "ataxia": ("infrequently", "infrequently"),
        "memory_impairment": ("infrequently", "infrequently"),
        "nystagmus": ("infrequently", "infrequently"),
        "scoliosis": ("unknown", None),
        "dysarthria": ("often", "often"),
        "dysphagia": ("infrequently", "infrequently"),
        "ileus": ("infrequently", "infrequently"),
        "hypogeusia": ("infrequently", "infrequently"),
        "constipation": ("often", "often"),
        "diarrhoea": ("often", "often"),
        "dry_mouth": ("often", "often"),
        "urinary_incontinence": ("often", "often"),
        "sexual_dysfunction": ("often", "often"),
        "dehydration": ("infrequently", "infrequently"),
        "alopecia": ("infrequently", "infrequently"),
        "hyperhidrosis": ("infrequently", "infrequently"),
        "bradypnoea": ("often", "unknown"),
        "dysphoria": ("infrequently", "unknown"),
        # and the rest of both tables
        "decreased_appetite": ("often", "often"),
        "euphoria": ("infrequently", "infrequently"),
        "hypersalivation": ("often", "often"),
        "urticaria": ("often", "often"),
        "pruritus": ("often", "often"),
        "peripheral_oedema": ("often", "often"),
        "facial_oedema": ("often", "often"),
        "hypertonia": ("often", "often"),
        "flushing": ("infrequently", "infrequently"),
        "pallor": ("infrequently", "infrequently"),
        "aspiration": ("often", None),
        "accommodation_disorder": ("often", "often"),
        "erectile_dysfunction": ("unknown", None),
    }
    for code, (lionova, lioresal) in want.items():
        assert (effect(code).band_in("lionova"), effect(code).band_in("lioresal")) == (lionova, lioresal), code


def test_counts_per_band_per_label_match_the_label_tables():
    # counted by hand from the tables: lionova 4.8 (the eye's "Akkommodasjonsforstyrrelser med tåkesyn eller
    # dobbeltsyn" gives three rows, as lioresal lists "accommodation, blurred vision, diplopia"), lioresal "Side
    # effects" (nausea / vomiting and urticaria / pruritus two rows each) and baclorex 4 in a patient's words.
    want = {
        "lionova": {"very often": 2, "often": 41, "infrequently": 21, "rarely": 1, "unknown": 2, LISTED: 13},
        "lioresal": {"very often": 5, "often": 36, "infrequently": 20, "rarely": 1, "unknown": 2, LISTED: 5},
        "baclorex": {"very often": 2, "often": 36, "infrequently": 17, "rarely": 0, "unknown": 2, LISTED: 5},
    }
    for label in RATING_LABELS:
        got = Counter(e.bands[label] for e in ADVERSE_EFFECTS if label in e.bands)
        assert {b: got.get(b, 0) for b in (*BANDS, LISTED)} == want[label], label
        assert {b: len(by_band(b, label=label)) for b in (*BANDS, LISTED)} == want[label]
    with pytest.raises(InputError):
        by_band("often", label="elsewhere")


def test_every_row_where_the_labels_disagree_names_a_recorded_difference():
    codes = {d.code for d in differences()}
    for e in ADVERSE_EFFECTS:
        if e.differs:
            assert e.difference in codes, e.code
        if e.difference:
            assert e.difference in codes, e.code


def test_ovarian_cysts_are_human_data_in_lionova_4_8_and_baclorex_2_not_animal_data():
    # lionova 4.8: "Cyster på eggstokkene har blitt oppdaget ved palpasjon hos ca. 5 % av pasienter med multippel
    # sklerose behandlet med oral baklofen i opptil ett år."  baclorex 2: "Bir yıla kadar ağızdan alınan baklofen
    # ile tedavi edilen hastaların yaklaşık %4’ünde, elle muayene yoluyla yumurtalık kistleri tespit edilmiştir."
    e = effect("ovarian_cysts")
    assert e.percent == {"lionova": 5.0, "baclorex": 4.0} and e.band_in("lioresal") is None
    assert [s.section for s in cited_sections(e.source)] == ["lionova 4.8", "baclorex 2"]
    (d,) = differences("ovarian_cysts")
    assert "5 %" in d.values["lionova"] and "4 %" in d.values["baclorex"] and "silent" in d.note
    assert d.sources == {"lionova": "lionova 4.8", "baclorex": "baclorex 2"}
    assert "5 %" in section("lionova 4.8").summary and "human" in section("lionova 4.8").summary
    assert "4 %" in section("baclorex 2").summary and "ovarian_cysts" in section("baclorex 2").taught_in
    assert "4.8" in section("lionova 5.3").summary


def test_every_adverse_effect_row_has_a_quotation_for_each_section_it_cites():
    for e in ADVERSE_EFFECTS:
        cited = {s.section for s in cited_sections(e.source)}
        assert {q.source for q in quotations_for(e)} == cited, e.code


def test_lioresal_hepatic_difference_is_not_cited_to_carefully():
    # lioresal "Carefully" lists "ulcerative lesions of the gastrointestinal tract …, hypertonic sphincters, impaired
    # renal function" and not the liver; "Dosing and Administration": "Since the liver does not play a significant
    # role in the metabolism of baclofen during intrathecal administration, a dose change in liver damage is not
    # required."  lionova 4.2 says the same: "Dosejustering anbefales ikke fordi leveren ikke spiller noen
    # signifikant rolle"; only lionova 4.4 lists "Alvorlig nedsatt leverfunksjon" among its cautions.
    (d,) = differences("hepatic_impairment")
    assert d.sources["lioresal"] == "lioresal Dosing and Administration"
    assert "lionova 4.2" in d.sources["lionova"] and "no dose adjustment" in d.values["lionova"]


def test_lioresal_epilepsy_difference_cites_the_contraindications_it_speaks_of():
    # lioresal Contraindications: "Hypersensitivity to baclofen …", "Childhood <4 years" — and no epilepsy.
    (d,) = differences("epilepsy_contraindication")
    assert [s.section for s in cited_sections(d.sources["lioresal"])] == [
        "lioresal Contraindications",
        "lioresal Carefully",
    ]


def test_lioresal_renal_reason_is_cited_where_lioresal_gives_it():
    # "Because the baclofen is allocated by the kidneys in an unchanged form, care must be taken" is in Dosing and
    # Administration (special patient groups); "Carefully" only lists "impaired renal function".
    (d,) = differences("renal_impairment")
    assert [s.section for s in cited_sections(d.sources["lioresal"])] == [
        "lioresal Carefully",
        "lioresal Dosing and Administration",
    ]


def test_lioresal_children_initial_maintenance_has_a_mean_of_100():
    # lioresal: "from 35 to 200 μg per day (an average of 100 μg per day)"
    (d,) = differences("pediatric_initial_maintenance")
    assert d.values["lioresal"] == "35–200 µg/day (mean 100 µg/day)"


def test_lioresal_older_patients_higher_risk_cannot_be_ruled_out():
    # lioresal Carefully: "can not be ruled out the possibility of increasing the risk of AE. However, with individual
    # selection of the dose of the drug, an increase in the incidence of AE in elderly patients is unlikely."
    (d,) = differences("older_patients")
    assert "cannot be ruled out" in d.values["lioresal"] and "unlikely" in d.values["lioresal"]


def test_baclorex_limits_its_data_under_4_years_not_from_4():
    # baclorex 2: "4 yaş altı çocuklarda … klinik veri çok sınırlıdır. 4 yaş ve üzeri hastalarda kullanımı
    # önerilmektedir."
    (d,) = differences("limited_data_age")
    assert d.values["baclorex"].startswith("under 4 years")


def test_lionova_says_baclofen_passes_into_human_milk():
    # lionova 4.6: "Baklofen skilles ut i morsmelk hos mennesker, men klinisk relevante nivåer er ikke forventet"
    # against lioresal: "the drug baclofen is not excreted in breast milk when administered intrathecally"
    (d,) = differences("breast_feeding")
    assert "passes into human milk" in d.values["lionova"] and "not excreted" in d.values["lioresal"]


def test_lionova_gives_titration_steps_for_adults_only_and_maintenance_steps_for_all():
    # lionova 4.2 dose titration: "Voksne pasienter med spastisitet av spinal opprinnelse: … 10 % til 30 %";
    # maintenance ("Administrasjonsmåte"): "Hos pasienter med spastisitet av spinal opprinnelse kan den daglige dosen
    # økes gradvis med 10-30 %" — no age named.  The suite's own choices are in the notes, not the label's text.
    (t,) = differences("pediatric_titration_limits")
    assert "adults only" in t.values["lionova"] and "suite" in t.note and "suite" not in t.values["lionova"]
    (m,) = differences("pediatric_maintenance_band")
    assert "not limited to adults" in m.values["lionova"] and "suite" not in m.values["lioresal"]
    assert "suite" in m.note
