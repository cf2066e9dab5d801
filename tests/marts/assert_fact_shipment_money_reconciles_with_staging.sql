{#
    Every shipment's money in tbl_fact_shipments, recomputed from its staged row (not from the
    fact's own columns): a cancelled order carries no revenue, no cost and no profit (the source
    keeps its quote and planned costs, but no trip ran and nothing was invoiced); any other order
    carries the staged revenue, the staged fuel + driver + toll cost, and their difference. Also no
    fuel, energy or CO2 for a trip never picked up. Fails with the shipments that differ.
#}
with staged as (
    select
        shipment_id,
        shipment_status,
        picked_up_at,
        case when shipment_status = 'CANCELLED' then 0 else revenue_usd end as expected_revenue_usd,
        case
            when shipment_status = 'CANCELLED' then 0
            else coalesce(fuel_cost_usd, 0) + coalesce(driver_cost_usd, 0) + coalesce(toll_cost_usd, 0)
        end as expected_total_cost_usd
    from {{ ref('tbl_stg_shipments') }}
),

facts as (
    select
        shipment_id,
        revenue_usd,
        total_cost_usd,
        profit_usd,
        modelled_fuel_l,
        modelled_energy_kwh,
        co2_kg
    from {{ ref('tbl_fact_shipments') }}
)

select
    facts.shipment_id,
    staged.shipment_status,
    staged.expected_revenue_usd,
    facts.revenue_usd,
    staged.expected_total_cost_usd,
    facts.total_cost_usd,
    facts.profit_usd,
    facts.co2_kg
from facts
inner join staged
    on facts.shipment_id = staged.shipment_id
where coalesce(facts.revenue_usd, -1) <> coalesce(staged.expected_revenue_usd, -1)
   or facts.total_cost_usd <> staged.expected_total_cost_usd
   or facts.profit_usd <> coalesce(staged.expected_revenue_usd, 0) - staged.expected_total_cost_usd
   or (staged.picked_up_at is null and (facts.modelled_fuel_l is not null or facts.modelled_energy_kwh is not null or facts.co2_kg is not null))
