{{ config(materialized='view', schema='cost', enabled=target.type == 'snowflake') }}
{#
    Credits per warehouse per day (UTC) from WAREHOUSE_METERING_HISTORY, and how much of the compute
    the dbt nodes account for (vw_credits_by_model). The rest is idle time before auto-suspend and
    other workloads on the warehouse. Snowflake only.
    The two ACCOUNT_USAGE views lag by different amounts (metering up to 3 hours, query attribution up
    to 8): a day is complete only once both have data past its end. For the days after that (the most
    recent ones) the unattributed credits would be inflated by the attribution's extra lag, so they
    are null and is_attribution_complete is false. The cut-off comes from the data, not the clock.
#}
with metering as (
    select * from {{ source('snowflake_account_usage', 'warehouse_metering_history') }}
),

daily_metering as (
    select
        to_date(convert_timezone('UTC', metering.start_time)) as usage_date,
        metering.warehouse_name,
        sum(metering.credits_used) as credits_used,
        sum(metering.credits_used_compute) as credits_used_compute,
        sum(metering.credits_used_cloud_services) as credits_used_cloud_services
    from metering
    group by
        to_date(convert_timezone('UTC', metering.start_time)),
        metering.warehouse_name
),

attribution as (
    select * from {{ source('snowflake_account_usage', 'query_attribution_history') }}
),

loaded_until as (
    select
        least(
            (select max(metering.end_time) from metering),
            (select max(attribution.end_time) from attribution)
        ) as loaded_until_at
),

complete_days as (
    -- the day holding the earlier high-water mark is still partial
    select to_date(convert_timezone('UTC', loaded_until.loaded_until_at)) as first_incomplete_date
    from loaded_until
),

model_credits as (
    select
        usage_date,
        warehouse_name,
        sum(credits_attributed_compute) as credits_attributed_to_dbt
    from {{ ref('vw_credits_by_model') }}
    group by
        usage_date,
        warehouse_name
),

final as (
    select
        daily_metering.usage_date,
        daily_metering.warehouse_name,
        daily_metering.credits_used,
        daily_metering.credits_used_compute,
        daily_metering.credits_used_cloud_services,
        coalesce(model_credits.credits_attributed_to_dbt, 0) as credits_attributed_to_dbt,
        coalesce(daily_metering.usage_date < complete_days.first_incomplete_date, false)
            as is_attribution_complete,
        case
            when daily_metering.usage_date < complete_days.first_incomplete_date
                then daily_metering.credits_used_compute - coalesce(model_credits.credits_attributed_to_dbt, 0)
        end as credits_not_attributed_to_dbt
    from daily_metering
    cross join complete_days
    left join model_credits
        on daily_metering.usage_date = model_credits.usage_date
        and daily_metering.warehouse_name = model_credits.warehouse_name
)

select * from final
