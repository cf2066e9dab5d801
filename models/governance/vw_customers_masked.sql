{{ config(
    materialized='view',
    schema='governance'
) }}
{#
    The current customers as a role without PII_READER sees them: e-mail and phone masked with the
    same expressions as Snowflake's masking policies (macro mask_pii), on every engine, so a DuckDB
    dev build shows what an analyst sees in prod. On Snowflake the row access policy
    customers_by_sales_region also limits the rows to the reader's sales region; who reads it is
    declared in vars.governance.reads (granted by the post-hook after the policies).
#}
with customers as (
    select * from {{ ref('tbl_dim_customer') }}
),

final as (
    select
        customer_id,
        customer_name,
        customer_type,
        industry,
        {{ mask_pii('email', 'email') }} as email,
        {{ mask_pii('phone', 'phone') }} as phone,
        city,
        country_code,
        account_manager,
        sales_region,
        customer_tier
    from customers
    where is_current
      and customer_id <> -1
)

select * from final
