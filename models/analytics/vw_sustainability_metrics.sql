{#
    Sustainability per calendar month and fuel type, over every kilometre driven, not only the loaded
    ones: distance from the telematics odometer (on a trip or running empty between trips), CO2 of
    that distance at each vehicle's rated consumption and its fuel's emission factor (the rules of
    macros/rules/energy_used and co2_kg), and the deliveries it served. Also the fleet's
    electrification share: electric vehicles among the vehicles that drove that month.
#}
with pings as (
    select
        vehicle_id,
        recorded_at,
        recorded_date,
        odometer_km,
        is_on_trip,
        lag(odometer_km) over (partition by vehicle_id order by recorded_at, telemetry_id) as previous_odometer_km
    from {{ ref('tbl_fact_vehicle_telemetry') }}
    where not is_deleted
),

vehicles as (
    select
        vehicle_id,
        fuel_type,
        consumption_per_100km,
        co2_kg_per_unit
    from {{ ref('tbl_dim_vehicle') }}
    where is_current
),

shipments as (
    select
        fuel_type,
        cast({{ dbt.date_trunc('month', 'delivered_date') }} as date) as month_start_date,
        co2_kg
    from {{ ref('tbl_fact_shipments') }}
    where is_delivered
      and not is_deleted
),

ping_distances as (
    select
        pings.vehicle_id,
        cast({{ dbt.date_trunc('month', 'pings.recorded_date') }} as date) as month_start_date,
        pings.is_on_trip,
        case
            when pings.odometer_km > pings.previous_odometer_km then pings.odometer_km - pings.previous_odometer_km
            else 0
        end as distance_km
    from pings
),

vehicle_months as (
    select
        ping_distances.vehicle_id,
        ping_distances.month_start_date,
        -- float sums in exact decimal (macros/marts/exact_sum): a double sum depends on row order,
        -- which differs between builds of the same data (dbt and SQLMesh differed in the last bit)
        {{ exact_sum('ping_distances.distance_km') }} as driven_km,
        {{ exact_sum('case when ping_distances.is_on_trip then 0 else ping_distances.distance_km end') }} as empty_km
    from ping_distances
    group by
        ping_distances.vehicle_id,
        ping_distances.month_start_date
),

fuel_months as (
    select
        vehicle_months.month_start_date,
        vehicles.fuel_type,
        count(*) as vehicle_count,
        cast(sum(vehicle_months.driven_km) as double) as driven_km,
        cast(sum(vehicle_months.empty_km) as double) as empty_km,
        cast({{ exact_sum(co2_kg(energy_used('vehicle_months.driven_km', 'vehicles.consumption_per_100km'), 'vehicles.co2_kg_per_unit')) }} as double) as co2_kg,
        cast({{ exact_sum(co2_kg(energy_used('vehicle_months.empty_km', 'vehicles.consumption_per_100km'), 'vehicles.co2_kg_per_unit')) }} as double) as empty_running_co2_kg
    from vehicle_months
    inner join vehicles
        on vehicle_months.vehicle_id = vehicles.vehicle_id
    where vehicle_months.driven_km > 0
    group by
        vehicle_months.month_start_date,
        vehicles.fuel_type
),

delivery_months as (
    select
        month_start_date,
        fuel_type,
        count(*) as delivered_shipments,
        cast({{ exact_sum('co2_kg') }} as double) as delivered_shipments_co2_kg
    from shipments
    group by
        month_start_date,
        fuel_type
),

fleet_months as (
    select
        month_start_date,
        sum(vehicle_count) as fleet_vehicle_count,
        sum(case when fuel_type = 'ELECTRIC' then vehicle_count else 0 end) as electric_vehicle_count
    from fuel_months
    group by month_start_date
),

final as (
    select
        fuel_months.month_start_date,
        fuel_months.fuel_type,
        fuel_months.vehicle_count,
        fuel_months.driven_km,
        fuel_months.driven_km - fuel_months.empty_km as loaded_km,
        fuel_months.empty_km,
        100 * {{ safe_divide('fuel_months.empty_km', 'fuel_months.driven_km') }} as empty_running_pct,
        fuel_months.co2_kg,
        fuel_months.empty_running_co2_kg,
        {{ safe_divide('fuel_months.co2_kg', 'fuel_months.driven_km') }} as co2_kg_per_km,
        coalesce(delivery_months.delivered_shipments, 0) as delivered_shipments,
        {{ safe_divide('fuel_months.co2_kg', 'delivery_months.delivered_shipments') }} as co2_kg_per_delivery,
        delivery_months.delivered_shipments_co2_kg,
        fleet_months.fleet_vehicle_count,
        fleet_months.electric_vehicle_count,
        100 * {{ safe_divide('fleet_months.electric_vehicle_count', 'fleet_months.fleet_vehicle_count') }}
            as fleet_electric_share_pct
    from fuel_months
    inner join fleet_months
        on fuel_months.month_start_date = fleet_months.month_start_date
    left join delivery_months
        on fuel_months.month_start_date = delivery_months.month_start_date
        and fuel_months.fuel_type = delivery_months.fuel_type
)

select * from final
