-- Key drivers before disclosure control: the design-based regression of the NPS score on the
-- aspect grades per market x year x sector (and 'ALL'), from int_driver_sums
-- (macros/design_based_regression.sql). The aspects are discovered from the staging relation,
-- as int_driver_sums does.
{{ design_based_regression(ref('int_driver_sums'), driver_aspects(ref('stg_survey__responses'))) }}
