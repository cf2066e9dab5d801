{{ config(materialized='view', schema='cost', enabled=target.type == 'snowflake') }}
{#
    Credits per dbt node per day: Snowflake's per-query attribution, grouped by the JSON query tag
    that macros/snowflake/query_tag.sql sets for every node (app, node, resource_type, target).
    Snowflake only (ACCOUNT_USAGE); days are UTC.
#}
with attributed_queries as (
    select * from {{ source('snowflake_account_usage', 'query_attribution_history') }}
),

tagged_queries as (
    select
        attributed_queries.query_id,
        attributed_queries.warehouse_name,
        to_date(convert_timezone('UTC', attributed_queries.start_time)) as usage_date,
        try_parse_json(attributed_queries.query_tag) as query_tag_json,
        attributed_queries.credits_attributed_compute,
        coalesce(attributed_queries.credits_used_query_acceleration, 0) as credits_used_query_acceleration
    from attributed_queries
    where left(attributed_queries.query_tag, 1) = '{'
),

node_queries as (
    select
        tagged_queries.usage_date,
        tagged_queries.query_tag_json:node::varchar as node_id,
        tagged_queries.query_tag_json:resource_type::varchar as resource_type,
        tagged_queries.query_tag_json:target::varchar as target_name,
        tagged_queries.warehouse_name,
        tagged_queries.credits_attributed_compute,
        tagged_queries.credits_used_query_acceleration
    from tagged_queries
    where tagged_queries.query_tag_json:app::varchar = '{{ project_name }}'
),

final as (
    select
        usage_date,
        node_id,
        resource_type,
        target_name,
        warehouse_name,
        count(*) as query_count,
        sum(credits_attributed_compute) as credits_attributed_compute,
        sum(credits_used_query_acceleration) as credits_used_query_acceleration,
        sum(credits_attributed_compute + credits_used_query_acceleration) as credits_total
    from node_queries
    group by
        usage_date,
        node_id,
        resource_type,
        target_name,
        warehouse_name
)

select * from final
