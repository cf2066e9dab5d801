{#
    One row per customer per feature_date (from the customer's first known booking to the last
    complete day), as of the end of feature_date: recency, tenure, booking frequency and booked
    revenue over calendar windows (30, 90, 365 days and the 30 before the last 30), the frequency
    trend, churn signals, RFM quintile scores among the customers of that day (macro
    quintile_score) and a segment by documented rules (macro customer_segment, seed
    customer_segments). A booking counts from the day the warehouse knew it until its soft delete
    became known (tbl_ml_shipment_milestones); cancelled bookings count (the customer did order).
    Incremental (macro window_state_ctes): only the new days, resumed from the stored row, from the
    bookings that can change them (macro window_facts_changing_after).
#}
{%- set windows = [
    {'name': '30d', 'offset_days': 0, 'length_days': 30},
    {'name': 'prev_30d', 'offset_days': 30, 'length_days': 30},
    {'name': '90d', 'offset_days': 0, 'length_days': 90},
    {'name': '365d', 'offset_days': 0, 'length_days': 365},
] -%}
{%- set measures = ['bookings', 'booked_revenue_usd'] -%}
{%- set state_columns = [] -%}
{%- for window in windows -%}{%- for measure in measures -%}{%- do state_columns.append(measure ~ '_' ~ window.name) -%}{%- endfor -%}{%- endfor -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail'
) }}

with milestones as (
    select * from {{ ref('tbl_ml_shipment_milestones') }}
),

bookings as (
    select
        milestones.customer_id,
        cast(milestones.created_at as date) as booking_date,
        cast(milestones.booking_known_at as date) as known_date,
        cast(milestones.deleted_known_at as date) as until_date,
        milestones.booked_revenue_usd
    from milestones
    {%- if is_incremental() %}
    where {{ window_facts_changing_after(
        windows,
        'cast(milestones.created_at as date)',
        'cast(milestones.booking_known_at as date)',
        'cast(milestones.deleted_known_at as date)',
        window_last_built_date()
    ) }}
    {%- endif %}
),

contributions as (
    select
        'customer' as entity_type,
        bookings.customer_id as entity_id,
        bookings.booking_date as event_date,
        bookings.known_date,
        bookings.until_date,
        1 as bookings,
        bookings.booked_revenue_usd
    from bookings
),

deltas as (
    {{ rolling_window_deltas('contributions', windows, measures) }}
),

{{ window_state_ctes('deltas', state_columns, "'customer'", 'built.customer_id') }},

booking_dates_by_known_day as (
    select
        bookings.customer_id,
        bookings.known_date,
        min(bookings.booking_date) as first_booking_date,
        max(bookings.booking_date) as last_booking_date
    from bookings
    group by
        bookings.customer_id,
        bookings.known_date
),

{%- if is_incremental() %}

stored_progress as (
    select
        built.customer_id,
        built.first_booking_date,
        built.last_booking_date
    from {{ this }} as built
    where built.feature_date = (select max(latest.feature_date) from {{ this }} as latest)
),
{%- endif %}

progress as (
    select
        window_state.entity_id as customer_id,
        window_state.feature_date,
        {%- for bound, aggregate in [('first', 'min'), ('last', 'max')] %}
        {%- set running -%}
        {{ aggregate }}(booking_dates.{{ bound }}_booking_date) over (
            partition by window_state.entity_id
            order by window_state.feature_date
            rows between unbounded preceding and current row
        )
        {%- endset %}
        {%- if is_incremental() %}
        case
            when stored_progress.{{ bound }}_booking_date is null then {{ running }}
            when {{ running }} is null then stored_progress.{{ bound }}_booking_date
            else {{ 'least' if aggregate == 'min' else 'greatest' }}(stored_progress.{{ bound }}_booking_date, {{ running }})
        end as {{ bound }}_booking_date{{ ',' if not loop.last }}
        {%- else %}
        {{ running }} as {{ bound }}_booking_date{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from window_state
    left join booking_dates_by_known_day as booking_dates
        on window_state.entity_id = booking_dates.customer_id
       and window_state.feature_date = booking_dates.known_date
    {%- if is_incremental() %}
    left join stored_progress
        on window_state.entity_id = stored_progress.customer_id
    {%- endif %}
),

customer_days as (
    select
        window_state.*,
        progress.first_booking_date,
        progress.last_booking_date,
        {{ timestamp_diff('day', 'progress.last_booking_date', 'window_state.feature_date') }} as recency_days,
        {{ timestamp_diff('day', 'progress.first_booking_date', 'window_state.feature_date') }} as tenure_days,
        (window_state.bookings_30d = 0 and window_state.bookings_prev_30d > 0) as is_churn_signal
    from window_state
    inner join progress
        on window_state.entity_id = progress.customer_id
       and window_state.feature_date = progress.feature_date
),

scored as (
    select
        customer_days.*,
        {{ quintile_score('customer_days.recency_days', 'customer_days.feature_date', descending=true) }} as recency_score,
        {{ quintile_score('customer_days.bookings_365d', 'customer_days.feature_date') }} as frequency_score,
        {{ quintile_score('customer_days.booked_revenue_usd_365d', 'customer_days.feature_date') }} as monetary_score
    from customer_days
),

final as (
    select
        cast(scored.entity_id as bigint) as customer_id,
        cast(scored.feature_date as date) as feature_date,
        cast(scored.first_booking_date as date) as first_booking_date,
        cast(scored.last_booking_date as date) as last_booking_date,
        cast(scored.recency_days as bigint) as recency_days,
        cast(scored.tenure_days as bigint) as tenure_days,
        {%- for window in windows %}
        cast(scored.bookings_{{ window.name }} as bigint) as bookings_{{ window.name }},
        cast(scored.booked_revenue_usd_{{ window.name }} as decimal(20, 2)) as booked_revenue_usd_{{ window.name }},
        {%- endfor %}
        cast(scored.bookings_30d - scored.bookings_prev_30d as bigint) as frequency_trend_30d,
        {{ safe_divide('scored.booked_revenue_usd_30d - scored.booked_revenue_usd_prev_30d', 'scored.booked_revenue_usd_prev_30d') }} as revenue_trend_30d_ratio,
        {{ safe_divide('365', 'scored.bookings_365d') }} as avg_booking_gap_days,
        {{ safe_divide('scored.recency_days * scored.bookings_365d', '365') }} as recency_gap_ratio,
        cast(scored.is_churn_signal as boolean) as is_churn_signal,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        cast(scored.recency_score + scored.frequency_score + scored.monetary_score as integer) as rfm_score,
        cast({{ customer_segment('scored.tenure_days', 'scored.recency_days', 'scored.is_churn_signal', 'scored.recency_score', 'scored.frequency_score', 'scored.monetary_score') }} as varchar) as customer_segment
    from scored
)

select * from final
