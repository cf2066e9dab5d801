{#
    One row per customer version (SCD2 from snp_customers) plus the unknown member.
    customer_sk identifies a version; customer_id is the durable key across versions.
#}
with customer_versions as (
    {{ scd_versions(
        ref('snp_customers'),
        ref('tbl_stg_customers'),
        ref('tbl_stg_customers_quarantine'),
        'customer_id',
        ['customer_name', 'customer_type', 'industry', 'email', 'phone', 'city', 'country_code', 'account_manager', 'credit_limit_usd', 'payment_terms_days', 'created_at']
    ) }}
),

account_managers as (
    select * from {{ ref('account_managers') }}
),

customer_tier_bands as (
    select * from {{ ref('customer_tier_bands') }}
),

shipments as (
    select * from {{ ref('tbl_stg_shipments') }}
),

as_of as (
    select {{ as_of_timestamp() }} as as_of_at
),

trailing_revenue as (
    select
        shipments.customer_id,
        sum(shipments.revenue_usd) as revenue_12m_usd
    from shipments
    cross join as_of
    where not shipments.is_deleted
      and shipments.shipment_status = 'DELIVERED'
      and shipments.delivered_at > {{ dbt.dateadd('day', -365, 'as_of.as_of_at') }}
      and shipments.delivered_at <= as_of.as_of_at
    group by shipments.customer_id
),

known_customers as (
    select
        {{ surrogate_key(['customer_versions.customer_id', seconds_since_1970('customer_versions.version_started_at')]) }} as customer_sk,
        customer_versions.customer_id,
        customer_versions.version_number,
        customer_versions.customer_name,
        customer_versions.customer_type,
        customer_versions.industry,
        customer_versions.email,
        customer_versions.phone,
        customer_versions.city,
        customer_versions.country_code,
        customer_versions.account_manager,
        account_managers.sales_region,
        customer_versions.credit_limit_usd,
        customer_versions.payment_terms_days,
        coalesce(trailing_revenue.revenue_12m_usd, 0) as revenue_12m_usd,
        customer_tier_bands.customer_tier,
        customer_versions.created_at,
        customer_versions.updated_at,
        customer_versions.valid_from_at,
        customer_versions.valid_to_at,
        customer_versions.is_current,
        customer_versions.is_inferred,
        customer_versions.is_backdated,
        customer_versions.is_deleted,
        customer_versions.synced_at
    from customer_versions
    left join account_managers
        on customer_versions.account_manager = account_managers.account_manager
    left join trailing_revenue
        on customer_versions.customer_id = trailing_revenue.customer_id
    left join customer_tier_bands
        on {{ is_in_band('coalesce(trailing_revenue.revenue_12m_usd, 0)', 'customer_tier_bands.min_revenue_12m_usd', 'customer_tier_bands.max_revenue_12m_usd') }}
),

unknown_customer as (
    select
        {{ unknown_key() }} as customer_sk,
        -1 as customer_id,
        1 as version_number,
        'Unknown customer' as customer_name,
        null as customer_type,
        null as industry,
        null as email,
        null as phone,
        null as city,
        null as country_code,
        null as account_manager,
        null as sales_region,
        null as credit_limit_usd,
        null as payment_terms_days,
        0 as revenue_12m_usd,
        null as customer_tier,
        null as created_at,
        null as updated_at,
        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as valid_from_at,
        cast('9999-12-31 23:59:59' as {{ dbt.type_timestamp() }}) as valid_to_at,
        true as is_current,
        false as is_inferred,
        false as is_backdated,
        false as is_deleted,
        null as synced_at
),

combined as (
    select * from known_customers
    union all
    select * from unknown_customer
),

final as (
    select
        cast(customer_sk as {{ dbt.type_string() }}) as customer_sk,
        cast(customer_id as bigint) as customer_id,
        cast(version_number as integer) as version_number,
        cast(customer_name as {{ dbt.type_string() }}) as customer_name,
        cast(customer_type as {{ dbt.type_string() }}) as customer_type,
        cast(industry as {{ dbt.type_string() }}) as industry,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(phone as {{ dbt.type_string() }}) as phone,
        cast(city as {{ dbt.type_string() }}) as city,
        cast(country_code as {{ dbt.type_string() }}) as country_code,
        cast(account_manager as {{ dbt.type_string() }}) as account_manager,
        cast(sales_region as {{ dbt.type_string() }}) as sales_region,
        cast(credit_limit_usd as decimal(14, 2)) as credit_limit_usd,
        cast(payment_terms_days as integer) as payment_terms_days,
        cast(revenue_12m_usd as decimal(14, 2)) as revenue_12m_usd,
        cast(customer_tier as {{ dbt.type_string() }}) as customer_tier,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(valid_from_at as {{ dbt.type_timestamp() }}) as valid_from_at,
        cast(valid_to_at as {{ dbt.type_timestamp() }}) as valid_to_at,
        cast(is_current as boolean) as is_current,
        cast(is_inferred as boolean) as is_inferred,
        cast(is_backdated as boolean) as is_backdated,
        cast(is_deleted as boolean) as is_deleted,
        cast(synced_at as {{ dbt.type_timestamp() }}) as synced_at
    from combined
)

select * from final
