{#
    The landing tables of the model registry: the records that training runs, promotions and batch
    scoring write (modelops/records.py), read by the models of models/ml/registry as the source
    `ml_registry`. Created here, once, on every engine (`create ... if not exists`, so a rebuild never
    touches a record), as a pre-hook of the models that read them: a warehouse that never trained a
    model still builds an empty registry, on DuckDB and on Snowflake alike.
#}
{% macro ml_registry_schema() -%}
    {{ var('ml_registry_schema', 'ml_registry') }}
{%- endmacro %}

{% macro ml_registry_tables() -%}
    {%- set tables = {
        'model_versions': [
            ('model_name', 'varchar'), ('model_version', 'integer'), ('registered_at', 'timestamp'),
            ('algorithm', 'varchar'), ('library_versions', 'varchar'), ('entity_type', 'varchar'),
            ('label_name', 'varchar'), ('feature_set_version', 'varchar'), ('feature_names', 'varchar'),
            ('feature_categories', 'varchar'),
            ('training_start_date', 'date'), ('training_end_date', 'date'),
            ('evaluation_start_date', 'date'), ('evaluation_end_date', 'date'),
            ('training_rows', 'bigint'), ('training_positives', 'bigint'),
            ('evaluation_rows', 'bigint'), ('evaluation_positives', 'bigint'),
            ('hyperparameters', 'varchar'), ('random_seed', 'bigint'),
            ('artefact_sha256', 'varchar'), ('artefact_format', 'varchar'), ('artefact_bytes', 'bigint'),
        ],
        'model_evaluations': [
            ('model_name', 'varchar'), ('model_version', 'integer'), ('scorer', 'varchar'),
            ('scorer_description', 'varchar'), ('compared_version', 'integer'), ('metric_name', 'varchar'),
            ('metric_value', 'double'),
        ],
        'model_reliability_bins': [
            ('model_name', 'varchar'), ('model_version', 'integer'), ('scorer', 'varchar'),
            ('bin_index', 'integer'), ('lower_bound', 'double'), ('upper_bound', 'double'),
            ('row_count', 'bigint'), ('mean_predicted', 'double'), ('observed_rate', 'double'),
        ],
        'model_reference_bins': [
            ('model_name', 'varchar'), ('model_version', 'integer'), ('feature_name', 'varchar'),
            ('bin_index', 'integer'), ('bin_kind', 'varchar'), ('lower_bound', 'double'),
            ('upper_bound', 'double'), ('reference_count', 'bigint'), ('reference_share', 'double'),
        ],
        'model_stage_transitions': [
            ('model_name', 'varchar'), ('model_version', 'integer'), ('transition_number', 'integer'),
            ('from_stage', 'varchar'), ('to_stage', 'varchar'), ('transitioned_at', 'timestamp'),
            ('reason', 'varchar'),
        ],
        'predictions': [
            ('model_name', 'varchar'), ('model_version', 'integer'), ('entity_type', 'varchar'),
            ('entity_id', 'bigint'), ('feature_date', 'date'), ('feature_at', 'timestamp'),
            ('score', 'double'), ('scored_at', 'timestamp'), ('scoring_batch', 'integer'),
        ],
    } -%}
    {{ return(tables) }}
{%- endmacro %}

{% macro create_ml_registry_landing() -%}
    {%- set schema = ml_registry_schema() -%}
    create schema if not exists {{ target.database }}.{{ schema }};
    {%- for table, columns in ml_registry_tables().items() %}
    create table if not exists {{ target.database }}.{{ schema }}.{{ table }} (
        {%- for name, type in columns %}
        {{ name }} {{ type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    );
    {%- endfor %}
{%- endmacro %}

{% macro create_ml_registry_landing_now() -%}
    {#- `dbt run-operation create_ml_registry_landing_now`: the same tables, without building a model. -#}
    {%- do run_query(create_ml_registry_landing()) -%}
{%- endmacro %}
