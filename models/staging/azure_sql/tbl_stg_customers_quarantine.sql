with checked as (
    select * from {{ ref('tbl_stg_customers_checked') }}
),

final as (
    select
        {{ row_key(['customer_id'], ['customer_id']) }} as row_key,
        rejection_reason,
        customer_id,
        customer_name,
        customer_type,
        industry,
        email,
        phone,
        city,
        country_code,
        account_manager,
        credit_limit_usd,
        payment_terms_days,
        created_at,
        updated_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is not null
)

select * from final
