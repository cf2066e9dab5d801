{#
    Revenue in tbl_fact_shipments equals the revenue of the staged shipments that are delivered and
    not deleted at the source: no delivered shipment is lost, duplicated or left in an old status by
    the incremental merge. Fails with the two totals when they differ.
#}
with fact_revenue as (
    select
        count(*) as delivered_shipments,
        coalesce(sum(revenue_usd), 0) as revenue_usd
    from {{ ref('tbl_fact_shipments') }}
    where is_delivered
      and not is_deleted
),

staged_revenue as (
    select
        count(*) as delivered_shipments,
        coalesce(sum(revenue_usd), 0) as revenue_usd
    from {{ ref('tbl_stg_shipments') }}
    where shipment_status = 'DELIVERED'
      and not is_deleted
)

select
    fact_revenue.delivered_shipments as fact_delivered_shipments,
    staged_revenue.delivered_shipments as staged_delivered_shipments,
    fact_revenue.revenue_usd as fact_revenue_usd,
    staged_revenue.revenue_usd as staged_revenue_usd
from fact_revenue
cross join staged_revenue
where fact_revenue.revenue_usd <> staged_revenue.revenue_usd
   or fact_revenue.delivered_shipments <> staged_revenue.delivered_shipments
