"""The report's texts: key -> (Dutch, English). Placeholders in braces are filled in by
`Locale.t`; numbers arrive already formatted in the language's notation."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # Page
    "title": ("Klantbeleving in Nederland", "Customer experience in the Netherlands"),
    "kicker": ("Benchmark customer experience", "Customer experience benchmark"),
    "meta": (
        "Editie {edition} · gepubliceerd {date} · {respondents} respondenten van "
        "{organisations} organisaties",
        "Edition {edition} · published {date} · {respondents} respondents of "
        "{organisations} organisations",
    ),
    "footer": (
        "Gemaakt door cxbench uit de gepubliceerde benchmarktabellen. "
        "Datavingerafdruk {fingerprint}. Ook in het Engels: cxbench report --lang en.",
        "Made by cxbench from the published benchmark tables. "
        "Data fingerprint {fingerprint}. Also in Dutch: cxbench report --lang nl.",
    ),
    "contents": ("Inhoud", "Contents"),
    "download_svg": ("afbeelding (SVG)", "image (SVG)"),
    "show_table": ("Toon de cijfers als tabel", "Show the figures as a table"),
    "and": ("en", "and"),
    "to": ("tot", "to"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "no_data": (
        "Deze editie bevat hiervoor geen gegevens.",
        "This edition has no data for this.",
    ),
    # Common words
    "market_B2B": ("B2B (zakelijke markt)", "B2B (business market)"),
    "market_B2C": ("B2C (consumentenmarkt)", "B2C (consumer market)"),
    "all_sectors": ("Alle sectoren", "All sectors"),
    "all_touchpoints": ("alle contactmomenten", "all contact moments"),
    "suppressed": ("onderdrukt", "suppressed"),
    "significant": ("significant", "significant"),
    "not_significant": ("niet significant", "not significant"),
    "positive": ("positief", "positive"),
    "points": ("{value} procentpunt", "{value} points"),
    "promoters": ("Promoters", "Promoters"),
    "passives": ("Passives", "Passives"),
    "detractors": ("Detractors", "Detractors"),
    "promoters_legend": ("Promoters (9–10)", "Promoters (9–10)"),
    "passives_legend": ("Passives (7–8)", "Passives (7–8)"),
    "detractors_legend": ("Detractors (0–6)", "Detractors (0–6)"),
    "agree_legend": ("Eens (4–5)", "Agree (4–5)"),
    "neutral_legend": ("Neutraal (3)", "Neutral (3)"),
    "disagree_legend": ("Oneens (1–2)", "Disagree (1–2)"),
    "legend_interval": ("95%-betrouwbaarheidsinterval", "95% confidence interval"),
    "legend_rise": ("significante stijging t.o.v. vorig jaar", "significant rise on last year"),
    "legend_fall": ("significante daling t.o.v. vorig jaar", "significant fall on last year"),
    "legend_rise_agree": (
        "% eens significant gestegen t.o.v. vorig jaar",
        "% agree significantly up on last year",
    ),
    "legend_fall_agree": (
        "% eens significant gedaald t.o.v. vorig jaar",
        "% agree significantly down on last year",
    ),
    "legend_total": ("{market}, alle sectoren", "{market}, all sectors"),
    "n_note": (
        "n = {n} respondenten, {orgs} organisaties",
        "n = {n} respondents, {orgs} organisations",
    ),
    "n_short": ("{n} · {orgs} org.", "{n} · {orgs} org."),
    "note_latest": (
        "{year}: {n}. De n van elk jaar staat in de tabel.",
        "{year}: {n}. Every year's n is in the table.",
    ),
    "group_top_performers": ("Topperformers", "Top performers"),
    "group_others": ("Overige organisaties", "Other organisations"),
    "group_all": ("Alle organisaties", "All organisations"),
    "measure_nps": ("Net Promoter Score", "Net Promoter Score"),
    "measure_pct_promoters": ("% promoters", "% promoters"),
    "measure_pct_passives": ("% passives", "% passives"),
    "measure_pct_detractors": ("% detractors", "% detractors"),
    "measure_grade": ("rapportcijfer {aspect}", "grade: {aspect}"),
    "indicator_grade": ("rapportcijfer {aspect}", "grade: {aspect}"),
    "indicator_touchpoint": (
        "Contactmoment {moment} (% positief)",
        "Contact moment {moment} (% positive)",
    ),
    "indicator_statement": ("“{statement}” (% eens)", "“{statement}” (% agree)"),
    # Suppression reasons (published in English by the pipeline)
    "reason_respondents": ("minder dan {n} respondenten", "fewer than {n} respondents"),
    "reason_organisations": ("minder dan {n} organisaties", "fewer than {n} organisations"),
    "reason_dominance": (
        "één organisatie levert meer dan {n}% van de respondenten",
        "one organisation supplies more than {n}% of the respondents",
    ),
    "reason_dominance_weight": (
        "één organisatie levert meer dan {n}% van het gewicht",
        "one organisation supplies more than {n}% of the weight",
    ),
    "reason_complementary": (
        "secundair: beschermt een onderdrukte cel tegen terugrekenen uit de totalen",
        "complementary: protects a suppressed cell against recomputation from the totals",
    ),
    "reason_regression": (
        "te weinig organisaties voor de regressie (één meer nodig dan coëfficiënten)",
        "too few organisations for the regression (one more needed than coefficients)",
    ),
    "reason_unknown": ("reden onbekend", "reason unknown"),
    # Table columns
    "col_year": ("Jaar", "Year"),
    "col_market": ("Markt", "Market"),
    "col_interval": ("95%-interval", "95% interval"),
    "col_change": ("Verschil t.o.v. vorig jaar", "Change on last year"),
    "col_change_vs": ("t.o.v. {year}", "vs {year}"),
    "col_change_points": ("Verschil (procentpunt)", "Change (points)"),
    "col_change_agree": ("Verschil % eens", "Change % agree"),
    "col_significance": ("Verschil", "Change"),
    "col_respondents": ("Respondenten", "Respondents"),
    "col_organisations": ("Organisaties", "Organisations"),
    "col_n_short": ("respondenten · organisaties", "respondents · organisations"),
    "col_aspect": ("Aspect", "Aspect"),
    "col_grade": ("Rapportcijfer", "Grade"),
    "col_sufficient": ("% voldoende", "% sufficient"),
    "col_touchpoint": ("Contactmoment", "Contact moment"),
    "col_positive": ("% positief", "% positive"),
    "col_negative": ("% negatief", "% negative"),
    "col_ratings": ("Beoordelingen", "Ratings"),
    "col_statement": ("Uitspraak", "Statement"),
    "col_agree": ("% eens", "% agree"),
    "col_disagree": ("% oneens", "% disagree"),
    "col_measure": ("Maatstaf", "Measure"),
    "col_group": ("Groep", "Group"),
    "col_value": ("Waarde", "Value"),
    "col_indicator": ("Indicator", "Indicator"),
    "col_table": ("Tabel", "Table"),
    "col_cells": ("Cellen", "Cells"),
    "col_published": ("Gepubliceerd", "Published"),
    "col_primary": ("Onderdrukt (primair)", "Suppressed (primary)"),
    "col_complementary": ("Onderdrukt (secundair)", "Suppressed (complementary)"),
    "col_item": ("Onderdeel", "Item"),
    "col_reason": ("Reden", "Reason"),
    "col_n_recommend": ("Aanbeveling", "Recommend"),
    "col_n_grade": ("Totaaloordeel", "Overall grade"),
    "col_n_touch": ("Contactmomenten", "Contact moments"),
    "col_sector_nps": ("NPS sector", "Sector NPS"),
    "col_gap": ("Verschil met sector", "Gap to sector"),
    "col_sector_percentile": ("Percentiel in sector", "Percentile in sector"),
    "col_market_percentile": ("Percentiel in markt", "Percentile in market"),
    "col_top_performer": ("Topperformer", "Top performer"),
    "col_coefficient": ("NPS-punten per cijferpunt (± se)", "NPS points per grade point (± se)"),
    "col_p_value": ("p-waarde", "p-value"),
    "col_importance": ("Belang", "Importance"),
    "col_quadrant": ("Kwadrant", "Quadrant"),
    "col_own_grade": ("Eigen cijfer", "Own grade"),
    "col_sector_grade": ("Cijfer sector", "Sector grade"),
    "col_market_grade": ("Cijfer markt", "Market grade"),
    "table_nps_by_sector_year": ("NPS", "NPS"),
    "table_grades_by_sector_year": ("Rapportcijfers", "Grades"),
    "table_touchpoints_by_sector_year": ("Contactmomenten", "Contact moments"),
    "table_statements_by_sector_year": ("Uitspraken", "Statements"),
    "table_top_performers_by_year": ("Topperformers", "Top performers"),
    "table_drivers_by_year": ("Kerndrijvers", "Key drivers"),
    # Summary
    "summary_title": ("In het kort", "Summary"),
    "findings_title": ("Belangrijkste uitkomsten", "Main findings"),
    "card_nps": ("Net Promoter Score {year}", "Net Promoter Score {year}"),
    "card_interval": ("95%-interval {interval}", "95% interval {interval}"),
    "card_change": (
        "; {change} t.o.v. {year} ({significance})",
        "; {change} on {year} ({significance})",
    ),
    "card_shares": (
        "Promoters / passives / detractors {year}",
        "Promoters / passives / detractors {year}",
    ),
    "card_shares_detail": ("aanbeveling 9–10 / 7–8 / 0–6", "recommend 9–10 / 7–8 / 0–6"),
    "card_grade": ("Gemiddeld rapportcijfer {year}", "Mean overall grade {year}"),
    "card_base": ("Respondenten {year}", "Respondents {year}"),
    "card_base_detail": ("van {orgs} organisaties", "of {orgs} organisations"),
    "finding_sectors": (
        "{market} {year}: de hoogste NPS heeft {best} ({best_nps}), de laagste {worst} "
        "({worst_nps}).",
        "{market} {year}: {best} has the highest NPS ({best_nps}), {worst} the lowest "
        "({worst_nps}).",
    ),
    "finding_negative": (
        "In {year} is de NPS negatief in: {sectors}.",
        "In {year} the NPS is negative in: {sectors}.",
    ),
    "finding_performers": (
        "{market} {year}: de topperformers halen een NPS van {top}, de overige organisaties "
        "{others}.",
        "{market} {year}: the top performers reach an NPS of {top}, the other organisations "
        "{others}.",
    ),
    "finding_touchpoints": (
        "{market} {year}: van de contactmomenten scoort {low} het laagst ({low_pct} positief) en "
        "{high} het hoogst ({high_pct}).",
        "{market} {year}: of the contact moments, {low} scores lowest ({low_pct} positive) and "
        "{high} highest ({high_pct}).",
    ),
    # NPS
    "nps_title": ("Net Promoter Score", "Net Promoter Score"),
    "nps_intro": (
        "De Net Promoter Score (NPS) meet in hoeverre klanten een organisatie aanbevelen, op een "
        "schaal van 0 tot en met 10. Wie een 9 of 10 geeft is promoter, een 7 of 8 passive, 0 tot "
        "en met 6 detractor. De NPS is het percentage promoters min het percentage detractors en "
        "loopt van −100 tot +100. De verticale strepen zijn 95%-betrouwbaarheidsintervallen.",
        "The Net Promoter Score (NPS) measures how far customers recommend an organisation, on a "
        "scale from 0 to 10. A 9 or 10 makes a promoter, 7 or 8 a passive, 0 to 6 a detractor. "
        "The NPS is the percentage of promoters minus the percentage of detractors and runs from "
        "−100 to +100. The vertical bars are 95% confidence intervals.",
    ),
    "nps_trend_title": (
        "Net Promoter Score per jaar, {market}",
        "Net Promoter Score by year, {market}",
    ),
    "nps_trend_desc": (
        "Lijngrafiek van de NPS van alle sectoren samen per jaar met 95%-intervallen: {values}.",
        "Line chart of the NPS of all sectors together by year with 95% intervals: {values}.",
    ),
    "sectors_title": ("Sectoren gerangschikt naar NPS", "Sectors ranked by NPS"),
    "sectors_intro": (
        "Per sector de NPS van het laatste jaar met het 95%-betrouwbaarheidsinterval, van hoog "
        "naar laag. De stippellijn is de markt als geheel. Overlappen de intervallen van twee "
        "sectoren sterk, dan is hun verschil niet zeker. Cellen met te weinig respondenten of "
        "organisaties zijn onderdrukt en staan onderaan, met de reden.",
        "Each sector's NPS in the latest year with its 95% confidence interval, from high to low. "
        "The dashed line is the market as a whole. Where two sectors' intervals overlap a lot, "
        "their difference is uncertain. Cells with too few respondents or organisations are "
        "suppressed and listed last, with the reason.",
    ),
    "ranking_title": ("NPS per sector, {market}, {year}", "NPS by sector, {market}, {year}"),
    "ranking_desc": (
        "Sectoren gerangschikt naar NPS: {values}. Onderdrukte sectoren: {hidden}.",
        "Sectors ranked by NPS: {values}. Suppressed sectors: {hidden}.",
    ),
    "distribution_title": (
        "Promoters, passives en detractors",
        "Promoters, passives and detractors",
    ),
    "distribution_intro": (
        "De verdeling achter de NPS: het aandeel promoters, passives en detractors per sector, in "
        "dezelfde volgorde als de rangschikking.",
        "The distribution behind the NPS: the share of promoters, passives and detractors per "
        "sector, in the order of the ranking.",
    ),
    "distribution_fig_title": (
        "Promoters, passives en detractors per sector, {market}, {year}",
        "Promoters, passives and detractors by sector, {market}, {year}",
    ),
    "distribution_desc": (
        "Gestapelde staven, promoters / passives / detractors: {values}.",
        "Stacked bars, promoters / passives / detractors: {values}.",
    ),
    # Grades
    "grades_title": ("Rapportcijfers per aspect", "Grades by aspect"),
    "grades_intro": (
        "Klanten geven rapportcijfers van 1 tot en met 10 voor de organisatie als geheel en voor "
        "afzonderlijke aspecten. Getoond is het gewogen gemiddelde van alle sectoren samen per "
        "jaar, met 95%-intervallen; de tabel eronder geeft het laatste jaar per sector.",
        "Customers give grades from 1 to 10 for the organisation as a whole and for separate "
        "aspects. Shown is the weighted mean of all sectors together per year, with 95% "
        "intervals; the table below gives the latest year by sector.",
    ),
    "grades_trend_title": ("Rapportcijfers per jaar, {market}", "Grades by year, {market}"),
    "grades_trend_desc": (
        "Lijngrafiek van het gemiddelde rapportcijfer per aspect en jaar: {values}.",
        "Line chart of the mean grade per aspect and year: {values}.",
    ),
    "grades_table_caption": (
        "Gemiddeld rapportcijfer per sector en aspect, {market}, {year}",
        "Mean grade by sector and aspect, {market}, {year}",
    ),
    # Contact moments
    "touchpoints_title": ("Contactmomenten", "Contact moments"),
    "touchpoints_intro": (
        "Klanten beoordelen de contactmomenten die ze hebben meegemaakt — {moments} — op een "
        "schaal van 1 tot en met 5; een 4 of 5 telt als positief. Elke beoordeling is één "
        "waarneming. De kaart toont het percentage positieve beoordelingen per sector en "
        "contactmoment; hoe donkerder, hoe beter.",
        "Customers rate the contact moments they experienced — {moments} — on a scale from 1 to "
        "5; a 4 or 5 counts as positive. Every rating is one observation. The map shows the "
        "percentage of positive ratings by sector and contact moment; the darker, the better.",
    ),
    "touchpoints_extremes": (
        "{market} {year}: het contactmoment {low} scoort het laagst ({low_pct} positief), "
        "{high} het hoogst ({high_pct}).",
        "{market} {year}: the contact moment {low} scores lowest ({low_pct} positive), {high} "
        "highest ({high_pct}).",
    ),
    "heatmap_title": (
        "Positieve beoordelingen per sector en contactmoment, {market}, {year}",
        "Positive ratings by sector and contact moment, {market}, {year}",
    ),
    "heatmap_desc": (
        "Warmtekaart van het percentage positieve beoordelingen: {values}.",
        "Heat map of the percentage of positive ratings: {values}.",
    ),
    "heatmap_note": (
        "{n}; {ratings} beoordeelde contactmomenten.",
        "{n}; {ratings} rated contact moments.",
    ),
    # Statements
    "statements_title": ("De relatie met de klant", "The relationship with the customer"),
    "statements_intro": (
        "Hoe klanten de relatie beleven: in hoeverre zijn ze het eens met uitspraken als “Ik voel "
        "me welkom”, op een schaal van 1 tot en met 5 (4–5 eens, 1–2 oneens). Alle sectoren "
        "samen, per jaar.",
        "How customers experience the relationship: how far they agree with statements such as "
        "“I feel welcome”, on a scale from 1 to 5 (4–5 agree, 1–2 disagree). All sectors "
        "together, by year.",
    ),
    "statements_fig_title": ("Relatie-uitspraken, {market}", "Relationship statements, {market}"),
    "statements_desc": (
        "Gestapelde staven per uitspraak en jaar, % eens / % oneens: {values}.",
        "Stacked bars per statement and year, % agree / % disagree: {values}.",
    ),
    # Top performers
    "performers_title": ("Topperformers versus de rest", "Top performers against the rest"),
    "performers_intro": (
        "De topperformers zijn de organisaties met minstens {min_answers} antwoorden op de "
        "aanbevelingsvraag waarvan de eigen NPS bij de beste {top_share}% hoort (op of boven "
        "het {percentile} percentiel van die organisaties). Hun cijfers zijn berekend over al "
        "hun klanten samen, net als die van de overige organisaties.",
        "The top performers are the organisations with at least {min_answers} answers to the "
        "recommend question whose own NPS is at or above the {percentile} percentile of those "
        "organisations. Their figures pool all their customers, as do those of the other "
        "organisations.",
    ),
    "performers_headline": (
        "{market} {year}: {orgs} topperformers met een NPS van {top}, tegen {others} bij de "
        "overige organisaties.",
        "{market} {year}: {orgs} top performers with an NPS of {top}, against {others} for the "
        "other organisations.",
    ),
    "performers_none": (
        "Deze editie heeft geen topperformers (te weinig organisaties met genoeg antwoorden).",
        "This edition has no top performers (too few organisations with enough answers).",
    ),
    "performers_fig_title": (
        "Topperformers versus de rest, {market}, {year}",
        "Top performers against the rest, {market}, {year}",
    ),
    "performers_desc": (
        "Kolommen per maatstaf voor topperformers, overige en alle organisaties: {values}.",
        "Columns per measure for top performers, other and all organisations: {values}.",
    ),
    "performers_note": (
        "Topperformers: {top_n} respondenten van {top_orgs} organisaties; alle organisaties: "
        "{all_n} respondenten van {all_orgs} organisaties (NPS).",
        "Top performers: {top_n} respondents of {top_orgs} organisations; all organisations: "
        "{all_n} respondents of {all_orgs} organisations (NPS).",
    ),
    # Key drivers
    "drivers_title": (
        "Kerndrijvers: wat hangt samen met aanbevelen?",
        "Key drivers: what goes with recommending?",
    ),
    "drivers_intro": (
        "Welke aspecten hangen het sterkst samen met de aanbeveling? Per markt is de NPS-score van "
        "de respondent (+100, 0 of −100) verklaard uit zijn rapportcijfers voor de aspecten "
        "tegelijk (design-based regressie, organisaties als cluster; het totaaloordeel doet niet "
        "mee). Het belang van een aspect is de gestandaardiseerde coëfficiënt: hoeveel "
        "standaarddeviaties de NPS-score hoger ligt bij één standaarddeviatie meer op het aspect, "
        "de andere aspecten gelijk. De prestatie is het gemiddelde rapportcijfer van dezelfde "
        "respondenten. De stippellijnen liggen op het gemiddelde belang en de gemiddelde prestatie "
        "van de aspecten; rechtsonder staan de aspecten die er het meest toe doen en het minst "
        "goed scoren: eerst verbeteren. Het gaat om samenhang, niet om bewezen oorzaak en gevolg.",
        "Which aspects go most with recommending? Per market, the respondent's NPS score (+100, "
        "0 or −100) is explained by their grades for the aspects together (design-based "
        "regression, organisations as clusters; the overall grade is not among them). An "
        "aspect's importance is the standardised coefficient: how many standard deviations higher "
        "the NPS score is with one standard deviation more on the aspect, the other aspects held "
        "equal. Performance is the mean grade of the same respondents. The dashed lines sit at "
        "the aspects' average importance and average performance; bottom right are the aspects "
        "that matter most and score least well: fix first. This is association, not proven cause "
        "and effect.",
    ),
    "drivers_headline": (
        "{market} {year}: {aspect} weegt het zwaarst (belang {importance}; een cijferpunt meer "
        "gaat samen met {coefficient} NPS-punten).",
        "{market} {year}: {aspect} weighs most (importance {importance}; one grade point more "
        "goes with {coefficient} NPS points).",
    ),
    "drivers_fix_first": ("Eerst verbeteren: {aspects}.", "Fix first: {aspects}."),
    "drivers_none": (
        "Deze editie heeft geen kerndrijvers: geen markt met genoeg respondenten die zowel de "
        "aanbevelingsvraag als rapportcijfers per aspect beantwoordden.",
        "This edition has no key drivers: no market with enough respondents who answered both "
        "the recommend question and grades per aspect.",
    ),
    "drivers_fig_title": (
        "Belang en prestatie per aspect, {market}, {year}",
        "Importance and performance by aspect, {market}, {year}",
    ),
    "drivers_desc": (
        "Kwadrantgrafiek, per aspect belang en gemiddeld rapportcijfer: {values}.",
        "Quadrant chart, importance and mean grade per aspect: {values}.",
    ),
    "drivers_x": (
        "Belang (gestandaardiseerde coëfficiënt) →",
        "Importance (standardised coefficient) →",
    ),
    "drivers_y": ("Prestatie (gemiddeld rapportcijfer) →", "Performance (mean grade) →"),
    "drivers_note": (
        "{n}: de respondenten met een antwoord op de aanbevelingsvraag en een cijfer voor elk "
        "aspect. Een aspect dat alleen aan een deel van de klanten is voorgelegd (zoals "
        "klachtafhandeling) beperkt de analyse tot dat deel.",
        "{n}: the respondents with an answer to the recommend question and a grade for every "
        "aspect. An aspect asked of some customers only (such as complaint handling) restricts "
        "the analysis to them.",
    ),
    "drivers_sector_caption": (
        "Belang per sector en aspect, {market}, {year}",
        "Importance by sector and aspect, {market}, {year}",
    ),
    "quadrant_strengths": ("Sterke punten", "Strengths"),
    "quadrant_fix_first": ("Eerst verbeteren", "Fix first"),
    "quadrant_maintain": ("Behouden", "Maintain"),
    "quadrant_lower_priority": ("Lagere prioriteit", "Lower priority"),
    # Changes
    "changes_title": ("Significante veranderingen", "Significant changes"),
    "changes_intro": (
        "Alle cijfers van het laatste jaar die significant verschillen van het jaar ervoor "
        "(tweezijdig, 5%: het verschil is groter dan {z} keer de standaardfout van het verschil). "
        "In de grafieken zijn ze gemarkeerd met ▲ (stijging) en ▼ (daling).",
        "Every figure of the latest year that differs significantly from the year before "
        "(two-sided, 5%: the change exceeds {z} times the standard error of the change). The "
        "charts mark them with ▲ (rise) and ▼ (fall).",
    ),
    "changes_count": (
        "{n} significante veranderingen: {rises} stijgingen en {falls} dalingen.",
        "{n} significant changes: {rises} rises and {falls} falls.",
    ),
    "changes_none": (
        "Geen enkel cijfer van het laatste jaar verschilt significant van het jaar ervoor.",
        "No figure of the latest year differs significantly from the year before.",
    ),
    # Methodology
    "methodology_title": ("Verantwoording", "Methodology"),
    "method_design_title": ("Onderzoeksopzet en weging", "Design and weights"),
    "method_design": (
        "Elke organisatie laat haar eigen klanten ondervragen; de antwoorden van klanten van één "
        "organisatie hangen samen. Alle schattingen zijn daarom design-based: per markt, jaar en "
        "vraag vormen de respondenten met een antwoord één steekproef met de organisatie als "
        "cluster en het steekproefgewicht van de respondent als weging, zonder strata. Sectoren "
        "zijn deelpopulaties van die steekproef; ‘Alle sectoren’ is de schatting over alle "
        "respondenten van de markt, geen gemiddelde van sectoren. Standaardfouten komen uit "
        "Taylor-linearisatie en zijn gelijk aan die van R’s survey-pakket.",
        "Each organisation has its own customers surveyed; the answers of one organisation's "
        "customers are correlated. Every estimate is therefore design-based: per market, year "
        "and question, the respondents with an answer form one sample with the organisation as "
        "cluster and the respondent's sampling weight, no strata. Sectors are domains of that "
        "sample; ‘All sectors’ is the estimate over all respondents of the market, not an "
        "average of sectors. Standard errors come from Taylor linearisation and equal those of "
        "R's survey package.",
    ),
    "method_answers": (
        "Aanbeveling 9–10 is promoter, 7–8 passive, 0–6 detractor; de NPS is % promoters min "
        "% detractors. Een contactmoment of uitspraak met 4–5 is positief of eens, met 1–2 "
        "negatief of oneens. Een rapportcijfer vanaf 5,5 is voldoende. Een ontbrekend antwoord "
        "telt niet mee.",
        "Recommend 9–10 is a promoter, 7–8 a passive, 0–6 a detractor; the NPS is % promoters "
        "minus % detractors. A contact moment or statement rated 4–5 is positive or agree, 1–2 "
        "negative or disagree. A grade of 5.5 or more is sufficient. A missing answer does not "
        "count.",
    ),
    "method_intervals": (
        "Betrouwbaarheidsintervallen zijn schatting ± {z} × standaardfout (95%, normale "
        "benadering), niet afgekapt. Niets is afgerond vóór publicatie; dit rapport rondt af op "
        "hele punten (NPS, percentages) en op één decimaal (rapportcijfers).",
        "Confidence intervals are estimate ± {z} × standard error (95%, normal approximation), "
        "not truncated. Nothing is rounded before publication; this report rounds to whole "
        "points (NPS, percentages) and one decimal (grades).",
    ),
    "method_changes": (
        "Een verandering is het verschil met hetzelfde cijfer een jaar eerder; die is significant "
        "als het verschil groter is dan {z} keer de standaardfout van het verschil. Die "
        "standaardfout komt uit één steekproef van beide jaren met de organisatie als cluster over "
        "de jaren heen: organisaties die beide jaren meedoen maken de twee schattingen "
        "gecorreleerd, en dat telt zo mee. Over een ontbrekend jaar heen wordt geen verschil "
        "berekend. Er is niet gecorrigeerd voor meervoudig toetsen.",
        "A change is the difference from the same figure a year earlier; it is significant when "
        "it exceeds {z} times the standard error of the change. That standard error comes from "
        "one sample of both years with the organisation as the cluster across the years: "
        "organisations taking part in both years make the two estimates correlated, and that is "
        "taken into account. No change is taken across a missing year. There is no correction "
        "for multiple testing.",
    ),
    "method_performers": (
        "Topperformers: organisaties met minstens {min_answers} geldige antwoorden op de "
        "aanbevelingsvraag in het marktjaar en een eigen NPS op of boven het {percentile} "
        "percentiel (lineaire interpolatie) van die organisaties.",
        "Top performers: organisations with at least {min_answers} valid answers to the "
        "recommend question in the market-year and an own NPS at or above the {percentile} "
        "percentile (linear interpolation) of those organisations.",
    ),
    "method_drivers": (
        "Kerndrijvers: per markt en jaar (en per sector) de design-based lineaire regressie van de "
        "NPS-score op de rapportcijfers van de aspecten die dat jaar gevraagd zijn, zonder het "
        "totaaloordeel, over de respondenten die alles beantwoordden; standaardfouten met de "
        "organisatie als cluster en p-waarden uit de t-verdeling met de vrijheidsgraden van het "
        "design, gelijk aan R’s svyglm. Een cel heeft minstens één organisatie meer nodig dan de "
        "regressie coëfficiënten heeft.",
        "Key drivers: per market and year (and per sector) the design-based linear regression of "
        "the NPS score on the grades of the aspects asked that year, without the overall grade, "
        "over the respondents who answered everything; standard errors with the organisation as "
        "cluster and p-values from the t distribution with the design's degrees of freedom, "
        "equal to R's svyglm. A cell needs at least one organisation more than the regression has "
        "coefficients.",
    ),
    "method_disclosure_title": ("Wat is onderdrukt en waarom", "What was suppressed and why"),
    "method_disclosure": (
        "Geen cijfer mag te herleiden zijn tot één organisatie. Een cel wordt onderdrukt bij "
        "minder dan {min_respondents} respondenten, minder dan {min_organisations} organisaties, "
        "of als één organisatie meer dan {max_share}% van de respondenten of van het gewicht "
        "levert. Onderdrukte "
        "cellen staan in de grafieken gearceerd met het woord ‘onderdrukt’; hun aantallen "
        "respondenten en organisaties blijven zichtbaar.",
        "No figure may be traceable to one organisation. A cell is suppressed with fewer than "
        "{min_respondents} respondents, fewer than {min_organisations} organisations, or when one "
        "organisation supplies more than {max_share}% of its respondents or of its weight. "
        "Suppressed cells are "
        "hatched in the charts and labelled ‘suppressed’; their numbers of respondents and "
        "organisations remain visible.",
    ),
    "method_complementary": (
        "Zou een onderdrukte cel terug te rekenen zijn uit het totaal en de andere cellen, of "
        "tot een interval smaller dan {protection}% van haar schaal te beperken, dan worden "
        "ook andere cellen onderdrukt, gekozen om de bescherming die ze geven (secundaire "
        "onderdrukking). Elke publicatie wordt daarop gecontroleerd met lineaire programmering "
        "over de gepubliceerde cellen, aantallen en totalen.",
        "Where a suppressed cell could be recomputed from the total and the other cells, or "
        "pinned to an interval narrower than {protection}% of its scale, further cells are "
        "suppressed, chosen for the protection they give (complementary suppression). Every "
        "publication is audited for this by linear programming over the published cells, "
        "counts and totals.",
    ),
    "suppression_summary_caption": ("Onderdrukte cellen per tabel", "Suppressed cells by table"),
    "suppressed_cells_caption": ("Alle onderdrukte cellen", "Every suppressed cell"),
    "method_nothing_suppressed": (
        "In deze editie is geen enkele cel onderdrukt.",
        "No cell is suppressed in this edition.",
    ),
    "method_n_title": ("De n achter de cijfers", "The n behind the figures"),
    "method_n": (
        "Onder elke grafiek staat op hoeveel respondenten en organisaties het cijfer rust; de "
        "tabel bij elke grafiek geeft de n van elke cel. Per markt en jaar:",
        "Under every chart is the number of respondents and organisations it rests on; the "
        "table with each chart gives every cell's n. By market and year:",
    ),
    "base_caption": (
        "Organisaties, respondenten per vraag en beoordeelde contactmomenten, per markt en jaar",
        "Organisations, respondents per question and rated contact moments, by market and year",
    ),
    "method_publication_title": ("Deze publicatie", "This publication"),
    "info_caption": ("Uit publication_info", "From publication_info"),
    "info_edition": ("Editie", "Edition"),
    "info_published": ("Gepubliceerd", "Published"),
    "info_fingerprint": ("Datavingerafdruk", "Data fingerprint"),
    "info_files": ("Aangeleverde bestanden", "Delivered files"),
    "info_respondents": ("Respondenten", "Respondents"),
    "info_organisations": ("Organisaties", "Organisations"),
    "info_estimation": ("Schattingsmethode", "Estimation method"),
    "info_disclosure": ("Statistische geheimhouding", "Disclosure control"),
    "info_dbt": ("dbt-versie", "dbt version"),
    "method_citation": (
        "Citeer als: cxbench customer-experience benchmark, editie {edition}, datavingerafdruk "
        "{fingerprint}.",
        "Cite as: cxbench customer-experience benchmark, edition {edition}, data fingerprint "
        "{fingerprint}.",
    ),
    # Client edition
    "client_page_title": (
        "Klantbeleving: positie van {organisation}",
        "Customer experience: position of {organisation}",
    ),
    "confidential": (
        "Vertrouwelijk: deze clienteditie noemt organisatie {organisation} en is alleen voor "
        "die organisatie bestemd.",
        "Confidential: this client edition names organisation {organisation} and is for that "
        "organisation only.",
    ),
    "client_title": ("Positie van {organisation}", "Position of {organisation}"),
    "client_intro": (
        "De NPS van {organisation} per jaar naast die van de eigen sector en de markt, met "
        "95%-intervallen, het percentiel binnen sector en markt en het verschil met de sector.",
        "The NPS of {organisation} by year beside that of its sector and market, with 95% "
        "intervals, its percentile within sector and market, and its gap to the sector.",
    ),
    "client_fig_title": (
        "NPS van {organisation} en de benchmark, {market}",
        "NPS of {organisation} and the benchmark, {market}",
    ),
    "client_desc": (
        "NPS van de organisatie per jaar: {values}.",
        "The organisation's NPS by year: {values}.",
    ),
    "client_summary": (
        "{year}: {organisation} heeft een NPS van {nps} (n = {n}) en staat op het "
        "{percentile} percentiel van de sector {sector}; {gap}.{top}",
        "{year}: {organisation} has an NPS of {nps} (n = {n}) and stands at the {percentile} "
        "percentile of the sector {sector}; {gap}.{top}",
    ),
    "client_gap_significant": (
        "het verschil met de sector is {gap} en significant",
        "the gap to the sector is {gap} and significant",
    ),
    "client_gap_not_significant": (
        "het verschil met de sector is {gap}, niet significant",
        "the gap to the sector is {gap}, not significant",
    ),
    "client_gap_hidden": (
        "het verschil met de sector is onderdrukt, omdat de sector publiek onderdrukt is",
        "the gap to the sector is suppressed, as the sector is suppressed publicly",
    ),
    "client_summary_unranked": (
        "{year}: {organisation} heeft een NPS van {nps} (n = {n}); een percentiel binnen de "
        "sector {sector} wordt niet getoond, omdat {why}; {gap}.{top}",
        "{year}: {organisation} has an NPS of {nps} (n = {n}); no percentile within the sector "
        "{sector} is shown, as {why}; {gap}.{top}",
    ),
    "client_not_ranked": ("niet gerangschikt", "not ranked"),
    "client_why_sector_suppressed": (
        "de sector publiek onderdrukt is",
        "the sector is suppressed publicly",
    ),
    "client_why_market_suppressed": (
        "de markt publiek onderdrukt is",
        "the market is suppressed publicly",
    ),
    "client_why_not_eligible": (
        "de organisatie minder dan {n} geldige antwoorden op de aanbevelingsvraag heeft",
        "the organisation has fewer than {n} valid answers to the recommend question",
    ),
    "client_why_few_ranked": (
        "minder dan {n} organisaties genoeg antwoorden hebben om gerangschikt te worden",
        "fewer than {n} organisations have enough answers to be ranked",
    ),
    "client_drivers_intro": (
        "De rapportcijfers van {organisation} in {year} op de {n} aspecten met het grootste "
        "belang voor de aanbeveling in de markt, naast die van de eigen sector en de markt.",
        "The grades of {organisation} in {year} on the {n} aspects that matter most for "
        "recommending in the market, beside those of its sector and the market.",
    ),
    "client_drivers_title": (
        "Cijfers van {organisation} op de kerndrijvers, {market}, {year}",
        "Grades of {organisation} on the key drivers, {market}, {year}",
    ),
    "client_drivers_desc": (
        "Kolommen per kerndrijver: cijfer van de organisatie, de sector en de markt: {values}.",
        "Columns per key driver: grade of the organisation, the sector and the market: {values}.",
    ),
    "client_drivers_note": (
        "Kerndrijvers en cijfers van {year}. Het cijfer van de organisatie rust op haar eigen "
        "respondenten; is de sector publiek onderdrukt, dan zijn het sectorcijfer en het verschil "
        "dat ook.",
        "Key drivers and grades of {year}. The organisation's grade rests on its own respondents; "
        "where the sector is suppressed publicly, so are the sector's grade and the gap.",
    ),
    "client_drivers_none": (
        "Voor {year} zijn er geen gepubliceerde kerndrijvers in deze markt.",
        "There are no published key drivers in this market for {year}.",
    ),
    "client_top": (" De organisatie is een topperformer.", " The organisation is a top performer."),
    "client_sector": ("Sector: {sector}", "Sector: {sector}"),
    "client_market": ("{market}, alle sectoren", "{market}, all sectors"),
    "client_note": (
        "Het interval van de organisatie rust op haar eigen respondenten. Een verschil met de "
        "sector is significant als het groter is dan de toevalsmarge van beide samen "
        "(conservatieve toets). Is de sector publiek onderdrukt, dan is het verschil dat ook. "
        "Percentielen rangschikken alleen organisaties met minstens {min_answers} geldige "
        "antwoorden op de aanbevelingsvraag, alleen waar er minstens {min_organisations} zijn en "
        "de sector (of markt) publiek getoond wordt: anders zou een percentiel verraden hoe een "
        "concurrent scoorde.",
        "The organisation's interval rests on its own respondents. A gap to the sector is "
        "significant when it exceeds the combined margin of both (a conservative test). Where "
        "the sector is suppressed publicly, so is the gap. Percentiles rank only organisations "
        "with at least {min_answers} valid answers to the recommend question, only where there "
        "are at least {min_organisations} of them and the sector (or market) is published: "
        "otherwise a percentile would tell how a competitor scored.",
    ),
}
