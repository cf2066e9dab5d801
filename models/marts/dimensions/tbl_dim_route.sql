{#
    One row per route version (SCD2 from snp_routes) plus the unknown member, with the haul type of
    the version's distance (seed haul_type_bands, [min, max) bands) and the current names of its ends.
    route_sk identifies a version; route_id is the durable key across versions.
#}
with route_versions as (
    {{ scd_versions(
        ref('snp_routes'),
        ref('tbl_stg_routes'),
        ref('tbl_stg_routes_quarantine'),
        'route_id',
        ['origin_location_id', 'destination_location_id', 'distance_km', 'planned_duration_min', 'created_at']
    ) }}
),

haul_type_bands as (
    select * from {{ ref('haul_type_bands') }}
),

locations as (
    select * from {{ ref('tbl_dim_location') }}
    where is_current
),

known_routes as (
    select
        {{ surrogate_key(['route_versions.route_id', seconds_since_1970('route_versions.version_started_at')]) }} as route_sk,
        route_versions.route_id,
        route_versions.version_number,
        route_versions.origin_location_id,
        origins.location_name as origin_location_name,
        origins.city as origin_city,
        origins.country_code as origin_country_code,
        route_versions.destination_location_id,
        destinations.location_name as destination_location_name,
        destinations.city as destination_city,
        destinations.country_code as destination_country_code,
        route_versions.distance_km,
        route_versions.planned_duration_min,
        {{ safe_divide('route_versions.distance_km', safe_divide('route_versions.planned_duration_min', 60)) }} as planned_speed_kmh,
        haul_type_bands.haul_type,
        route_versions.created_at,
        route_versions.updated_at,
        route_versions.valid_from_at,
        route_versions.valid_to_at,
        route_versions.is_current,
        route_versions.is_inferred,
        route_versions.is_backdated,
        route_versions.is_deleted,
        route_versions.synced_at
    from route_versions
    left join haul_type_bands
        on {{ is_in_band('route_versions.distance_km', 'haul_type_bands.min_distance_km', 'haul_type_bands.max_distance_km') }}
    left join locations as origins
        on route_versions.origin_location_id = origins.location_id
    left join locations as destinations
        on route_versions.destination_location_id = destinations.location_id
),

unknown_route as (
    select
        {{ unknown_key() }} as route_sk,
        -1 as route_id,
        1 as version_number,
        null as origin_location_id,
        null as origin_location_name,
        null as origin_city,
        null as origin_country_code,
        null as destination_location_id,
        null as destination_location_name,
        null as destination_city,
        null as destination_country_code,
        null as distance_km,
        null as planned_duration_min,
        null as planned_speed_kmh,
        null as haul_type,
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
    select * from known_routes
    union all
    select * from unknown_route
),

final as (
    select
        cast(route_sk as {{ dbt.type_string() }}) as route_sk,
        cast(route_id as bigint) as route_id,
        cast(version_number as integer) as version_number,
        cast(origin_location_id as bigint) as origin_location_id,
        cast(origin_location_name as {{ dbt.type_string() }}) as origin_location_name,
        cast(origin_city as {{ dbt.type_string() }}) as origin_city,
        cast(origin_country_code as {{ dbt.type_string() }}) as origin_country_code,
        cast(destination_location_id as bigint) as destination_location_id,
        cast(destination_location_name as {{ dbt.type_string() }}) as destination_location_name,
        cast(destination_city as {{ dbt.type_string() }}) as destination_city,
        cast(destination_country_code as {{ dbt.type_string() }}) as destination_country_code,
        cast(distance_km as double) as distance_km,
        cast(planned_duration_min as integer) as planned_duration_min,
        cast(planned_speed_kmh as double) as planned_speed_kmh,
        cast(haul_type as {{ dbt.type_string() }}) as haul_type,
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
