{#
    One row per entity (customer, vehicle, route) per feature_date: calendar-window sums of the
    deliveries the warehouse knew by the end of feature_date (tbl_ml_shipment_milestones: a delivery
    counts from the day it became known, in the windows of its delivery day, until its soft delete
    became known), and rates, trends and year-over-year ratios derived from them.
    Windows: the 7, 30 and 90 calendar days ending on feature_date, and the 30 days before the last
    30 (prev_30d). The year-over-year ratios compare the 30-day sums with this table's row for the
    same calendar date a year earlier (29 February → 28 February).
    Incremental (macro window_state_ctes): a run adds the days after the last built one, resuming
    each entity's window sums from its stored row, in time slices of at most
    window_rows_per_slice() entity-days (macro window_slices): the post-hook appends the slices
    after the first. The SELECT is macro rolling_analytics_rows, so the hook can render it again.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ append_remaining_window_slices(rolling_analytics_rows(incremental=true)) }}"
) }}

{{ rolling_analytics_rows(incremental=is_incremental()) }}
