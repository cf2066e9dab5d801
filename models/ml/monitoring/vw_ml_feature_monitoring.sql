{#
    Feature drift: one row per monitored feature and current window (last_1d, last_7d) against the
    reference window (vw_ml_feature_drift_bins), with the statistics drift tools use:
    - PSI over the reference bins, empty bins floored at 0.0001 as Evidently does:
      sum((ref - cur) * ln(ref / cur));
    - Jensen-Shannon distance over the same bins, base 2 (scipy.spatial.distance.jensenshannon);
    - for numeric features the two-sample Kolmogorov-Smirnov statistic over the raw values
      (scipy.stats.ks_2samp's D).
    Status from PSI: stable < var drift_psi_moderate <= moderate < var drift_psi_drifted <= drifted;
    insufficient_data below var drift_min_rows current rows. A feature's status is its status in the
    window var drift_status_window (last_7d: one day of weather is one weather system, not a shift of
    the distribution; the daily window is reported, not judged); a feature set's (the features one
    model family reads) is its worst feature's.
    monitored_for says against what: 'warehouse' (mart quantities, reference = the reference window)
    or a production model (its input features, reference = the version's registered bins; no KS, the
    registry keeps bins, not values); a model's drift status (feature_set_drift_status, feature_set =
    the model) is its worst feature's.
    A model input listed in var drift_unjudged_model_features (calendar inputs such as pickup_month:
    a week holds one month, training held all twelve, so its PSI against the training bins measures
    the season, not a shift) is reported with its statistics but not judged: feature_drift_status
    not_judged, left out of its model's status.
#}
with bins as (
    select * from {{ ref('vw_ml_feature_drift_bins') }}
),

window_values as (
    select * from {{ ref('int_ml_feature_window_values') }}
    where feature_kind = 'numeric'
),

floored_bins as (
    select
        bins.*,
        case when bins.reference_share = 0 then 0.0001 else bins.reference_share end as reference_share_floored,
        case when bins.current_share = 0 then 0.0001 else bins.current_share end as current_share_floored,
        cast(bins.reference_share + bins.current_share as double) / 2 as mixture_share
    from bins
),

bin_statistics as (
    select
        monitored_for,
        max(model_version) as model_version,
        feature_name,
        window_name,
        max(feature_kind) as feature_kind,
        max(feature_set) as feature_set,
        max(reference_rows) as reference_rows,
        max(current_rows) as current_rows,
        count(*) as bin_count,
        sum((reference_share_floored - current_share_floored) * ln(cast(reference_share_floored as double) / current_share_floored)) as psi,
        sum(case when reference_share > 0 then reference_share * ln(cast(reference_share as double) / mixture_share) else 0 end)
            as reference_to_mixture_kl,
        sum(case when current_share > 0 then current_share * ln(cast(current_share as double) / mixture_share) else 0 end)
            as current_to_mixture_kl
    from floored_bins
    group by
        monitored_for,
        feature_name,
        window_name
),

value_counts as (
    select
        current_values.feature_name,
        current_values.window_name as compared_window,
        current_values.numeric_value,
        0 as reference_count,
        count(*) as current_count
    from window_values as current_values
    where current_values.window_name <> 'reference'
    group by
        current_values.feature_name,
        current_values.window_name,
        current_values.numeric_value
    union all
    select
        reference_values.feature_name,
        compared_windows.window_name as compared_window,
        reference_values.numeric_value,
        count(*) as reference_count,
        0 as current_count
    from window_values as reference_values
    inner join (select distinct feature_name, window_name from bins where monitored_for = 'warehouse') as compared_windows
        on reference_values.feature_name = compared_windows.feature_name
    where reference_values.window_name = 'reference'
    group by
        reference_values.feature_name,
        compared_windows.window_name,
        reference_values.numeric_value
),

value_steps as (
    select
        feature_name,
        compared_window,
        numeric_value,
        sum(reference_count) as reference_count,
        sum(current_count) as current_count
    from value_counts
    group by
        feature_name,
        compared_window,
        numeric_value
),

empirical_cdfs as (
    select
        feature_name,
        compared_window,
        sum(reference_count) over (
            partition by feature_name, compared_window order by numeric_value
            rows between unbounded preceding and current row
        ) / cast(sum(reference_count) over (partition by feature_name, compared_window) as double) as reference_cdf,
        sum(current_count) over (
            partition by feature_name, compared_window order by numeric_value
            rows between unbounded preceding and current row
        ) / cast(sum(current_count) over (partition by feature_name, compared_window) as double) as current_cdf
    from value_steps
),

ks_statistics as (
    select
        'warehouse' as monitored_for,
        feature_name,
        compared_window as window_name,
        max(abs(reference_cdf - current_cdf)) as ks_statistic
    from empirical_cdfs
    group by
        feature_name,
        compared_window
),

window_status as (
    select
        bin_statistics.monitored_for,
        bin_statistics.model_version,
        bin_statistics.feature_name,
        bin_statistics.feature_kind,
        bin_statistics.feature_set,
        bin_statistics.window_name,
        bin_statistics.reference_rows,
        bin_statistics.current_rows,
        bin_statistics.bin_count,
        bin_statistics.psi,
        sqrt(
            cast(greatest(cast(bin_statistics.reference_to_mixture_kl + bin_statistics.current_to_mixture_kl as double) / 2, 0) as double)
            / ln(2)
        )
            as js_distance,
        ks_statistics.ks_statistic,
        case
            when bin_statistics.current_rows < {{ var('drift_min_rows') }} then 'insufficient_data'
            when bin_statistics.psi < {{ var('drift_psi_moderate') }} then 'stable'
            when bin_statistics.psi < {{ var('drift_psi_drifted') }} then 'moderate'
            else 'drifted'
        end as drift_status
    from bin_statistics
    left join ks_statistics
        on bin_statistics.monitored_for = ks_statistics.monitored_for
        and bin_statistics.feature_name = ks_statistics.feature_name
        and bin_statistics.window_name = ks_statistics.window_name
),

ranked_status as (
    select
        window_status.*,
        case drift_status when 'drifted' then 3 when 'moderate' then 2 when 'stable' then 1 else 0 end as status_rank,
        {%- set unjudged = var('drift_unjudged_model_features') %}
        {% if unjudged -%}
        not (monitored_for <> 'warehouse' and feature_name in ('{{ unjudged | join("', '") }}'))
        {%- else -%}
        true
        {%- endif %} as is_judged
    from window_status
),

feature_status as (
    select
        monitored_for,
        feature_name,
        max(status_rank) as feature_status_rank
    from ranked_status
    where window_name = '{{ var('drift_status_window') }}'
    group by
        monitored_for,
        feature_name
),

set_status as (
    select
        ranked_status.monitored_for,
        ranked_status.feature_set,
        max(ranked_status.status_rank) as set_status_rank
    from ranked_status
    where ranked_status.window_name = '{{ var('drift_status_window') }}'
      and ranked_status.is_judged
    group by
        ranked_status.monitored_for,
        ranked_status.feature_set
),

final as (
    select
        ranked_status.monitored_for,
        ranked_status.model_version,
        ranked_status.feature_name,
        ranked_status.feature_kind,
        ranked_status.feature_set,
        ranked_status.window_name,
        ranked_status.reference_rows,
        ranked_status.current_rows,
        ranked_status.bin_count,
        ranked_status.psi,
        ranked_status.js_distance,
        ranked_status.ks_statistic,
        ranked_status.drift_status,
        case
            when not ranked_status.is_judged then 'not_judged'
            when feature_status.feature_status_rank = 3 then 'drifted'
            when feature_status.feature_status_rank = 2 then 'moderate'
            when feature_status.feature_status_rank = 1 then 'stable'
            else 'insufficient_data'
        end as feature_drift_status,
        case set_status.set_status_rank
            when 3 then 'drifted' when 2 then 'moderate' when 1 then 'stable' else 'insufficient_data'
        end as feature_set_drift_status
    from ranked_status
    inner join feature_status
        on ranked_status.monitored_for = feature_status.monitored_for
        and ranked_status.feature_name = feature_status.feature_name
    left join set_status
        on ranked_status.monitored_for = set_status.monitored_for
        and ranked_status.feature_set = set_status.feature_set
)

select * from final
