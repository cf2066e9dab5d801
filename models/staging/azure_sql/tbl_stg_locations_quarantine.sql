with checked as (
    select * from {{ ref('tbl_stg_locations_checked') }}
),

final as (
    select
        {{ row_key(['location_id'], ['location_id']) }} as row_key,
        rejection_reason,
        location_id,
        location_name,
        location_type,
        city,
        region,
        country_code,
        latitude,
        longitude,
        created_at,
        updated_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is not null
)

select * from final
