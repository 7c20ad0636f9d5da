-- One row describing the publication: when, which edition, which data, which rules.
with counted_files as (
    select
        source_file,
        content_hash
    from {{ source('audit', 'file_log') }}
    where status in ('loaded', 'partially_loaded')
),

fingerprint as (
    select
        count(*) as n_files,
        {{ dbt.hash(ordered_listagg(dbt.concat(['source_file', "'='", 'content_hash']), "','", ['source_file', 'content_hash'])) }}  -- noqa: LT05
            as data_fingerprint
    from counted_files
),

respondents as (
    select
        count(*) as n_respondents,
        count(distinct organisation_id) as n_organisations
    from {{ ref('stg_survey__responses') }}
),

-- What analysts kept out and why (exclusions.yml): a JSON array of the entries, in file order.
excluded as (
    select
        count(*) as n_exclusions,
        {{ dbt.concat(["'['", "coalesce(" ~ dbt.listagg('entry_json', "','", 'order by position') ~ ", '')", "']'"]) }}
            as exclusions
    from {{ source('audit', 'exclusions') }}
)

select
    {{ dbt.current_timestamp() }} as published_at,
    cast('{{ var("cxbench_edition") }}' as {{ dbt.type_string() }}) as edition,
    f.data_fingerprint,
    f.n_files,
    r.n_respondents,
    r.n_organisations,
    {{ var('cxbench_min_respondents') }} as min_respondents,
    {{ var('cxbench_min_organisations') }} as min_organisations,
    cast({{ var('cxbench_max_organisation_share') }} as {{ type_double() }}) as max_organisation_share,
    cast({{ var('cxbench_protection_level') }} as {{ type_double() }}) as protection_level,
    cast({{ var('cxbench_z') }} as {{ type_double() }}) as z_value,
    {{ var('cxbench_top_performer_min_answers') }} as top_performer_min_answers,
    cast({{ var('cxbench_top_performer_percentile') }} as {{ type_double() }}) as top_performer_percentile,
    cast(
        'design-based (Taylor linearisation): organisation_id as cluster, weight as sampling weight, no strata, one design per market x year x item; reference R survey svydesign(ids = ~organisation_id, weights = ~weight) with svyby/svymean; changes on the two-year design (svyby covmat = TRUE, svycontrast); key drivers svyglm on complete cases' as {{ dbt.type_string() }}  -- noqa: LT05
    ) as estimation_method,
    cast(
        'primary: fewer than min_respondents respondents, fewer than min_organisations organisations, or one organisation above max_organisation_share of the respondents or of the weight; complementary: chosen by the protection they give until no suppressed cell can be recomputed and no primary-suppressed cell can be pinned by linear programming over the published cells, counts and margins (equal weights) narrower than protection_level of its scale unless that interval covers its published neighbours; audited before publication' as {{ dbt.type_string() }}  -- noqa: LT05
    ) as disclosure_method,
    cast('{{ dbt_version }}' as {{ dbt.type_string() }}) as dbt_version,
    x.n_exclusions,
    x.exclusions
from fingerprint as f
cross join respondents as r
cross join excluded as x
