{{ config(materialized='view', schema='cost', enabled=target.type == 'snowflake') }}
{#
    Credits and their cost per calendar month and warehouse, with a forecast of the month's total:
    the month-to-date credits of the month still running (the latest usage day in the metering data,
    not the wall clock) extrapolated at its daily average over the days elapsed; closed months
    forecast themselves. Price per credit: var snowflake_credit_price_usd. Snowflake only.
#}
with daily_credits as (
    select * from {{ ref('vw_warehouse_credits_daily') }}
),

latest_day as (
    select max(usage_date) as latest_usage_date
    from daily_credits
),

monthly_credits as (
    select
        cast(date_trunc('month', daily_credits.usage_date) as date) as month_start_date,
        daily_credits.warehouse_name,
        sum(daily_credits.credits_used) as credits_used,
        sum(daily_credits.credits_attributed_to_dbt) as credits_attributed_to_dbt
    from daily_credits
    group by
        cast(date_trunc('month', daily_credits.usage_date) as date),
        daily_credits.warehouse_name
),

month_progress as (
    select
        monthly_credits.*,
        day(last_day(monthly_credits.month_start_date)) as days_in_month,
        case
            when monthly_credits.month_start_date = cast(date_trunc('month', latest_day.latest_usage_date) as date)
                then day(latest_day.latest_usage_date)
            else day(last_day(monthly_credits.month_start_date))
        end as days_elapsed
    from monthly_credits
    cross join latest_day
),

final as (
    select
        month_start_date,
        warehouse_name,
        credits_used,
        credits_attributed_to_dbt,
        days_elapsed,
        days_in_month,
        days_elapsed < days_in_month as is_month_open,
        credits_used / days_elapsed * days_in_month as forecast_credits,
        credits_used * {{ var('snowflake_credit_price_usd', 3.0) }} as cost_usd,
        credits_used / days_elapsed * days_in_month * {{ var('snowflake_credit_price_usd', 3.0) }} as forecast_cost_usd
    from month_progress
)

select * from final
