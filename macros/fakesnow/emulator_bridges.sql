{#
    Bridges for known gaps of fakesnow 0.12.1 (the offline Snowflake emulator of parity_tests/).
    Every macro here is active ONLY on the emulated target (is_emulated_snowflake()); on a real
    Snowflake target each one hands off unchanged to dbt-snowflake's own macro (dbt.<macro>).
#}

{% macro is_emulated_snowflake() -%}
    {{ return(target.type == 'snowflake' and target.name == 'snowflake_emulated') }}
{%- endmacro %}

{# Gap 2: dbt's `begin; <dml>; commit;` breaks the fakesnow session. Run the DML alone. #}
{% macro snowflake_dml_explicit_transaction(dml) -%}
    {%- if is_emulated_snowflake() -%}
        {{ return(dml) }}
    {%- else -%}
        {{ return(dbt.snowflake_dml_explicit_transaction(dml)) }}
    {%- endif -%}
{%- endmacro %}

{#
    Gap 1: temporary tables are qualified with database.schema, which DuckDB rejects. Transient instead.
    Gap 4: a clustered table's CTAS is `select * from (...) order by (cluster keys)`; for a star
    fakesnow runs DESCRIBE on the SELECT printed in sqlglot's default dialect, where the cast of a
    translated convert_timezone reads TIMESTAMPNTZ, a type DuckDB lacks (the server then never
    answers). The emulator does not cluster, so there the table is created without the ordering and
    the cluster keys are still declared (`alter table ... cluster by`, as dbt-snowflake does after it).
#}
{% macro snowflake__create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {%- if is_emulated_snowflake() and language == 'sql' and (temporary or config.get('cluster_by') is not none) -%}
        {{ dbt.snowflake__create_table_transient_sql(relation, compiled_code) }}
        {%- set cluster_by = adapter.build_catalog_relation(config.model).cluster_by -%}
        {%- if not temporary and cluster_by is not none %}
alter table {{ relation }} cluster by ({{ cluster_by }});
        {%- endif -%}
    {%- else -%}
        {{ dbt.snowflake__create_table_as(temporary, relation, compiled_code, language) }}
    {%- endif -%}
{%- endmacro %}

{% macro snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary=False) -%}
    {{ dbt.snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary and not is_emulated_snowflake()) }}
{%- endmacro %}

{#
    Gap 3: fakesnow's MERGE cannot resolve the unqualified `values (...)` columns of dbt's merge
    (ambiguous between source and target). On the emulator the insert values are qualified with the
    source alias, which is the same statement on Snowflake; elsewhere dbt-snowflake's macro runs.
#}
{% macro snowflake__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates) -%}
    {%- if not is_emulated_snowflake() or unique_key is none -%}
        {{ return(dbt.snowflake__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates)) }}
    {%- endif -%}
    {%- set merge_sql = dbt.default__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates) -%}
    {{ return(emulator_qualify_insert_values(merge_sql, dest_columns | map(attribute='name') | list)) }}
{%- endmacro %}

{% macro snowflake__snapshot_merge_sql(target, source, insert_cols) -%}
    {%- if not is_emulated_snowflake() -%}
        {{ return(dbt.snowflake__snapshot_merge_sql(target, source, insert_cols)) }}
    {%- endif -%}
    {%- set merge_sql = dbt.default__snapshot_merge_sql(target, source, insert_cols) -%}
    {%- set insert_cols_csv = insert_cols | join(', ') -%}
    {%- set qualified = [] -%}
    {%- for column in insert_cols -%}
        {%- do qualified.append('DBT_INTERNAL_SOURCE.' ~ column) -%}
    {%- endfor -%}
    {{ return(emulator_replace_once(merge_sql, 'values (' ~ insert_cols_csv ~ ')', 'values (' ~ qualified | join(', ') ~ ')')) }}
{%- endmacro %}

{# The merge SQL with its `values (<columns>)` list qualified with DBT_INTERNAL_SOURCE. #}
{% macro emulator_qualify_insert_values(merge_sql, column_names) -%}
    {%- set qualified = [] -%}
    {%- for name in column_names -%}
        {%- do qualified.append('DBT_INTERNAL_SOURCE.' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {%- set plain = 'values\n        (' ~ dbt.get_quoted_csv(column_names) ~ ')' -%}
    {{ return(emulator_replace_once(merge_sql, plain, 'values\n        (' ~ qualified | join(', ') ~ ')')) }}
{%- endmacro %}

{# `text` with `old` replaced by `new`; fails loudly when dbt's SQL no longer has the expected shape. #}
{% macro emulator_replace_once(text, old, new) -%}
    {%- if old not in text -%}
        {%- do exceptions.raise_compiler_error(
            'macros/fakesnow/emulator_bridges.sql: dbt generated a MERGE of an unexpected shape; '
            ~ 'update the bridge for this dbt-snowflake version') -%}
    {%- endif -%}
    {{ return(text.replace(old, new)) }}
{%- endmacro %}

{#
    Gap 4: fakesnow has no SHOW GRANTS. dbt reads a relation's current grants before applying the
    `grants` config; on the emulator it reads an empty grants table instead (the GRANT statements
    themselves are then sent, and accepted without effect by the emulator).
#}
{% macro snowflake__get_show_grant_sql(relation) -%}
    {%- if is_emulated_snowflake() -%}
        select null as "privilege", null as "grantee_name", null as "granted_to" where 1 = 0
    {%- else -%}
        {{ dbt.default__get_show_grant_sql(relation) }}
    {%- endif -%}
{%- endmacro %}

{#
    Gap: fakesnow cannot bind Snowflake's array_position over a JSON array (it becomes DuckDB's
    array_position(JSON, JSON)). On the emulator only, json_array_index reads the array as text: the
    values before `value` in the array under "key" are its index (each value is one quoted string;
    vocabularies are plain codes without quotes). Same result as array_position on such arrays.
#}
{% macro emulated_json_array_index(json_text, key, value) -%}
    {%- set after_key = 'substr(' ~ json_text ~ ', position(\'"' ~ key ~ '"\' in ' ~ json_text ~ '))' -%}
    {%- set array_text = 'substr(' ~ after_key ~ ', 1, position(\']\' in ' ~ after_key ~ '))' -%}
    {%- set quoted = '\'"\' || ' ~ value ~ ' || \'"\'' -%}
    {%- set before = 'substr(' ~ array_text ~ ', 1, position(' ~ quoted ~ ' in ' ~ array_text ~ ') - 1)' -%}
    case
        when position('"{{ key }}"' in {{ json_text }}) > 0 and position({{ quoted }} in {{ array_text }}) > 0
        then cast((length({{ before }}) - length(replace({{ before }}, '"', '')) - 2) * 0.5 as integer)
    end
{%- endmacro %}
