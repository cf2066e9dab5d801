{#
    Schema drift guard: raises a compiler error naming the landing table and every column its source
    YAML declares that the landed relation no longer has (the models downstream select them), or
    saying that the table is missing altogether. `present` holds the relation's column names,
    lower-case. Relations that are not a declared source pass unchecked.
#}
{% macro assert_declared_columns_landed(relation, present) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.schema | lower == relation.schema | lower
            and (node.identifier or node.name) | lower == relation.identifier | lower -%}
            {%- set table = relation.schema ~ '.' ~ relation.identifier -%}
            {%- if present | length == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Landing table " ~ table ~ " (source '" ~ node.source_name ~ "." ~ node.name
                    ~ "') does not exist or has no columns: land it with the generator, or check the"
                    ~ " landing_* vars of dbt_project.yml."
                ) }}
            {%- endif -%}
            {%- set missing = [] -%}
            {%- for name in node.columns.keys() if name | lower not in present -%}
                {%- do missing.append(name | lower) -%}
            {%- endfor -%}
            {%- if missing -%}
                {{ exceptions.raise_compiler_error(
                    "Landing table " ~ table ~ " (source '" ~ node.source_name ~ "." ~ node.name
                    ~ "') has lost column(s) the models need: " ~ missing | join(', ')
                    ~ ". Restore them at the source (Fivetran connector schema), or remove them from the"
                    ~ " source YAML and every model that selects them."
                ) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
