{#
    The distributions drift is measured on: one row per monitored feature, current window and bin,
    with the reference window's and the current window's count and share in that bin.
    - Windows are calendar days ending at the as-of date: last_1d (the as-of day) and last_7d; the
      reference is the var drift_reference_days days before the last_7d window.
    - Numeric features: bins from the reference window's deciles (inverted CDF: the value of rank
      ceil(k·n/10), k = 1..9), duplicates merged and an edge at the maximum dropped; a value v is in
      bin (lower, upper] with open ends, the registry's convention (modelops.reference).
    - Categorical features: one bin per category seen in either window.
    These rows have monitored_for = 'warehouse'. The production models' input features
    (monitored_for = the model) are binned on their version's registered reference bins instead
    (tbl_ml_model_reference_bins: training-row deciles and a null bin, REGISTRY.md), with the
    current values of int_ml_model_feature_window_values.
#}
with windowed_values as (
    select * from {{ ref('int_ml_feature_window_values') }}
),

model_values as (
    select * from {{ ref('int_ml_model_feature_window_values') }}
),

registered_bins as (
    select * from {{ ref('tbl_ml_model_reference_bins') }}
),

reference_ranked as (
    select
        feature_name,
        numeric_value,
        row_number() over (partition by feature_name order by numeric_value) as value_rank,
        count(*) over (partition by feature_name) as value_count,
        max(numeric_value) over (partition by feature_name) as max_value
    from windowed_values
    where window_name = 'reference'
      and feature_kind = 'numeric'
),

decile_ranks as (
    {%- for k in range(1, 10) %}
    select {{ k }} as decile
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

edges as (
    select distinct
        reference_ranked.feature_name,
        reference_ranked.numeric_value as edge
    from reference_ranked
    inner join decile_ranks
        on reference_ranked.value_rank = floor(cast(decile_ranks.decile * reference_ranked.value_count + 9 as double) / 10)
    where reference_ranked.numeric_value < reference_ranked.max_value
),

numeric_bins as (
    select
        feature_name,
        row_number() over (partition by feature_name order by edge) - 1 as bin_index,
        lag(edge) over (partition by feature_name order by edge) as lower_bound,
        edge as upper_bound
    from edges
    union all
    select
        feature_name,
        count(*) as bin_index,
        max(edge) as lower_bound,
        cast(null as double) as upper_bound
    from edges
    group by feature_name
    union all
    -- a feature whose reference values are all equal: one bin
    select distinct
        reference_ranked.feature_name,
        0 as bin_index,
        cast(null as double) as lower_bound,
        cast(null as double) as upper_bound
    from reference_ranked
    where not exists (select 1 from edges where edges.feature_name = reference_ranked.feature_name)
),

binned_values as (
    select
        windowed_values.feature_name,
        windowed_values.window_name,
        cast(numeric_bins.bin_index as {{ dbt.type_string() }}) as bin_key,
        numeric_bins.bin_index,
        numeric_bins.lower_bound,
        numeric_bins.upper_bound
    from windowed_values
    inner join numeric_bins
        on windowed_values.feature_name = numeric_bins.feature_name
        and (numeric_bins.lower_bound is null or windowed_values.numeric_value > numeric_bins.lower_bound)
        and (numeric_bins.upper_bound is null or windowed_values.numeric_value <= numeric_bins.upper_bound)
    where windowed_values.feature_kind = 'numeric'
    union all
    select
        feature_name,
        window_name,
        category_value as bin_key,
        cast(null as bigint) as bin_index,
        cast(null as double) as lower_bound,
        cast(null as double) as upper_bound
    from windowed_values
    where feature_kind = 'categorical'
),

bin_counts as (
    select
        feature_name,
        window_name,
        bin_key,
        max(bin_index) as bin_index,
        max(lower_bound) as lower_bound,
        max(upper_bound) as upper_bound,
        count(*) as row_count
    from binned_values
    group by
        feature_name,
        window_name,
        bin_key
),

window_totals as (
    select
        feature_name,
        max(feature_kind) as feature_kind,
        max(feature_set) as feature_set,
        window_name,
        count(*) as window_rows
    from windowed_values
    group by
        feature_name,
        window_name
),

all_bins as (
    select distinct
        feature_name,
        bin_key,
        bin_index,
        lower_bound,
        upper_bound
    from bin_counts
),

current_windows as (
    select
        window_totals.feature_name,
        window_totals.feature_kind,
        window_totals.feature_set,
        window_totals.window_name,
        window_totals.window_rows,
        reference_totals.window_rows as reference_rows
    from window_totals
    inner join window_totals as reference_totals
        on window_totals.feature_name = reference_totals.feature_name
        and reference_totals.window_name = 'reference'
    where window_totals.window_name <> 'reference'
),

warehouse_bins as (
    select
        'warehouse' as monitored_for,
        cast(null as integer) as model_version,
        current_windows.feature_name,
        current_windows.feature_kind,
        current_windows.feature_set,
        current_windows.window_name,
        all_bins.bin_key,
        all_bins.bin_index,
        all_bins.lower_bound,
        all_bins.upper_bound,
        current_windows.reference_rows,
        current_windows.window_rows as current_rows,
        coalesce(reference_counts.row_count, 0) as reference_count,
        coalesce(current_counts.row_count, 0) as current_count,
        {{ safe_divide('coalesce(reference_counts.row_count, 0)', 'current_windows.reference_rows') }} as reference_share,
        {{ safe_divide('coalesce(current_counts.row_count, 0)', 'current_windows.window_rows') }} as current_share
    from current_windows
    inner join all_bins
        on current_windows.feature_name = all_bins.feature_name
    left join bin_counts as reference_counts
        on all_bins.feature_name = reference_counts.feature_name
        and all_bins.bin_key = reference_counts.bin_key
        and reference_counts.window_name = 'reference'
    left join bin_counts as current_counts
        on all_bins.feature_name = current_counts.feature_name
        and all_bins.bin_key = current_counts.bin_key
        and current_counts.window_name = current_windows.window_name
),

model_window_totals as (
    select
        model_name,
        model_version,
        feature_name,
        max(feature_kind) as feature_kind,
        window_name,
        count(*) as window_rows
    from model_values
    group by
        model_name,
        model_version,
        feature_name,
        window_name
),

model_reference_totals as (
    select
        model_name,
        model_version,
        feature_name,
        sum(reference_count) as reference_rows
    from registered_bins
    group by
        model_name,
        model_version,
        feature_name
),

model_bin_counts as (
    select
        model_values.model_name,
        model_values.model_version,
        model_values.feature_name,
        model_values.window_name,
        registered_bins.bin_index,
        count(*) as row_count
    from model_values
    inner join registered_bins
        on model_values.model_name = registered_bins.model_name
        and model_values.model_version = registered_bins.model_version
        and model_values.feature_name = registered_bins.feature_name
        and (
            (registered_bins.bin_kind = 'range'
                and model_values.feature_value is not null
                and (registered_bins.lower_bound is null or model_values.feature_value > registered_bins.lower_bound)
                and (registered_bins.upper_bound is null or model_values.feature_value <= registered_bins.upper_bound))
            or (registered_bins.bin_kind = 'null' and model_values.feature_value is null)
        )
    group by
        model_values.model_name,
        model_values.model_version,
        model_values.feature_name,
        model_values.window_name,
        registered_bins.bin_index
),

model_bins as (
    select
        model_window_totals.model_name as monitored_for,
        model_window_totals.model_version,
        model_window_totals.feature_name,
        model_window_totals.feature_kind,
        model_window_totals.model_name as feature_set,
        model_window_totals.window_name,
        cast(registered_bins.bin_index as {{ dbt.type_string() }}) as bin_key,
        cast(registered_bins.bin_index as bigint) as bin_index,
        registered_bins.lower_bound,
        registered_bins.upper_bound,
        model_reference_totals.reference_rows,
        model_window_totals.window_rows as current_rows,
        registered_bins.reference_count,
        coalesce(model_bin_counts.row_count, 0) as current_count,
        registered_bins.reference_share,
        {{ safe_divide('coalesce(model_bin_counts.row_count, 0)', 'model_window_totals.window_rows') }} as current_share
    from model_window_totals
    inner join registered_bins
        on model_window_totals.model_name = registered_bins.model_name
        and model_window_totals.model_version = registered_bins.model_version
        and model_window_totals.feature_name = registered_bins.feature_name
    inner join model_reference_totals
        on model_window_totals.model_name = model_reference_totals.model_name
        and model_window_totals.model_version = model_reference_totals.model_version
        and model_window_totals.feature_name = model_reference_totals.feature_name
    left join model_bin_counts
        on model_window_totals.model_name = model_bin_counts.model_name
        and model_window_totals.model_version = model_bin_counts.model_version
        and model_window_totals.feature_name = model_bin_counts.feature_name
        and model_window_totals.window_name = model_bin_counts.window_name
        and registered_bins.bin_index = model_bin_counts.bin_index
),

final as (
    select * from warehouse_bins
    union all
    select * from model_bins
)

select * from final
