{#
    One row per location version (SCD2 from snp_locations) plus the unknown member.
    location_sk identifies a version; location_id is the durable key across versions. time_zone
    is the IANA zone of the first area of seed time_zone_areas (by area_rank) of the location's
    country that holds its coordinates: the calendar its events' local dates are judged on.
#}
with location_versions as (
    {{ scd_versions(
        ref('snp_locations'),
        ref('tbl_stg_locations'),
        ref('tbl_stg_locations_quarantine'),
        'location_id',
        ['location_name', 'location_type', 'city', 'region', 'country_code', 'latitude', 'longitude', 'created_at']
    ) }}
),

time_zone_areas as (
    select * from {{ ref('time_zone_areas') }}
),

location_time_zones as (
    select
        location_versions.location_id,
        location_versions.version_started_at,
        time_zone_areas.time_zone
    from location_versions
    inner join time_zone_areas
        on location_versions.country_code = time_zone_areas.country_code
        and location_versions.latitude between time_zone_areas.min_latitude and time_zone_areas.max_latitude
        and location_versions.longitude between time_zone_areas.min_longitude and time_zone_areas.max_longitude
    qualify row_number() over (
        partition by location_versions.location_id, location_versions.version_started_at
        order by time_zone_areas.area_rank
    ) = 1
),

known_locations as (
    select
        {{ surrogate_key(['location_versions.location_id', seconds_since_1970('location_versions.version_started_at')]) }} as location_sk,
        location_versions.location_id,
        location_versions.version_number,
        location_versions.location_name,
        location_versions.location_type,
        location_versions.city,
        location_versions.region,
        location_versions.country_code,
        location_versions.latitude,
        location_versions.longitude,
        {{ hemisphere('location_versions.latitude') }} as hemisphere,
        location_time_zones.time_zone,
        location_versions.created_at,
        location_versions.updated_at,
        location_versions.valid_from_at,
        location_versions.valid_to_at,
        location_versions.is_current,
        location_versions.is_inferred,
        location_versions.is_backdated,
        location_versions.is_deleted,
        location_versions.synced_at
    from location_versions
    left join location_time_zones
        on location_versions.location_id = location_time_zones.location_id
        and location_versions.version_started_at = location_time_zones.version_started_at
),

unknown_location as (
    select
        {{ unknown_key() }} as location_sk,
        -1 as location_id,
        1 as version_number,
        'Unknown location' as location_name,
        null as location_type,
        null as city,
        null as region,
        null as country_code,
        null as latitude,
        null as longitude,
        null as hemisphere,
        null as time_zone,
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
    select * from known_locations
    union all
    select * from unknown_location
),

final as (
    select
        cast(location_sk as {{ dbt.type_string() }}) as location_sk,
        cast(location_id as bigint) as location_id,
        cast(version_number as integer) as version_number,
        cast(location_name as {{ dbt.type_string() }}) as location_name,
        cast(location_type as {{ dbt.type_string() }}) as location_type,
        cast(city as {{ dbt.type_string() }}) as city,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(country_code as {{ dbt.type_string() }}) as country_code,
        cast(latitude as double) as latitude,
        cast(longitude as double) as longitude,
        cast(hemisphere as {{ dbt.type_string() }}) as hemisphere,
        cast(time_zone as {{ dbt.type_string() }}) as time_zone,
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
