{{ config(materialized='view', schema='cost', enabled=target.type == 'snowflake') }}
{#
    Resource monitors and how much of their credit quota the current cycle has used, against their
    notify / suspend / suspend-immediately thresholds (ACCOUNT_USAGE.RESOURCE_MONITORS). Snowflake only.
#}
with monitors as (
    select * from {{ source('snowflake_account_usage', 'resource_monitors') }}
),

usage as (
    select
        monitors.name as resource_monitor_name,
        monitors.level as monitor_level,
        monitors.warehouses,
        monitors.credit_quota::float as credit_quota,
        monitors.used_credits::float as used_credits,
        monitors.remaining_credits,
        monitors.notify as notify_at_pct,
        monitors.suspend as suspend_at_pct,
        monitors.suspend_immediate as suspend_immediately_at_pct
    from monitors
),

final as (
    select
        usage.*,
        100 * usage.used_credits / nullif(usage.credit_quota, 0) as used_pct,
        case
            when usage.suspend_immediately_at_pct is not null
                and 100 * usage.used_credits / nullif(usage.credit_quota, 0) >= usage.suspend_immediately_at_pct then 'suspended_immediately'
            when usage.suspend_at_pct is not null
                and 100 * usage.used_credits / nullif(usage.credit_quota, 0) >= usage.suspend_at_pct then 'suspended'
            when usage.notify_at_pct is not null
                and 100 * usage.used_credits / nullif(usage.credit_quota, 0) >= usage.notify_at_pct then 'notified'
            else 'within_quota'
        end as monitor_status
    from usage
)

select * from final
