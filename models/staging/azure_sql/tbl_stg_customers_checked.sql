{#
    Every raw customers row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_customers keeps the valid rows; tbl_stg_customers_quarantine keeps the others with their reason.
#}
with source as (
    select * from {{ ref('tbl_raw_customers') }}
),

renamed as (
    select
        -- ids
        customer_id,
        -- strings
        trim(name) as customer_name,
        {{ clean_enum('customer_type') }} as customer_type,
        {{ clean_enum('industry') }} as industry,
        lower(trim(email)) as email,
        trim(phone) as phone,
        trim(city) as city,
        upper(trim(country)) as country_code,
        trim(account_manager) as account_manager,
        -- numerics
        cast(credit_limit_usd as decimal(14, 2)) as credit_limit_usd,
        cast(payment_terms_days as integer) as payment_terms_days,
        -- timestamps
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        -- fivetran
        coalesce(_fivetran_deleted, false) as is_deleted,
        cast(_fivetran_synced as timestamp) as synced_at
    from source
),

checked as (
    select
        renamed.customer_id,
        renamed.customer_name,
        renamed.customer_type,
        renamed.industry,
        renamed.email,
        renamed.phone,
        renamed.city,
        renamed.country_code,
        renamed.account_manager,
        renamed.credit_limit_usd,
        renamed.payment_terms_days,
        renamed.created_at,
        renamed.updated_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.customer_type is not null and known_customer_type.customer_type is null
                then 'unknown_customer_type'
            when renamed.industry is not null and known_industry.industry is null
                then 'unknown_industry'
            when renamed.credit_limit_usd < 0 or renamed.payment_terms_days < 0
                then 'negative_amount'
            when {{ is_after_load('renamed.created_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.updated_at', 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join {{ ref('enum_customer_type') }} as known_customer_type
        on renamed.customer_type = known_customer_type.customer_type
    left join {{ ref('enum_industry') }} as known_industry
        on renamed.industry = known_industry.industry
)

select * from checked
