with checked as (
    select * from {{ ref('tbl_stg_routes_checked') }}
),

final as (
    select
        {{ row_key(['route_id'], ['route_id']) }} as row_key,
        rejection_reason,
        route_id,
        origin_location_id,
        destination_location_id,
        distance_km,
        planned_duration_min,
        created_at,
        updated_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is not null
)

select * from final
