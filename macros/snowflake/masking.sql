{#
    PII masking on Snowflake. A column is PII when YAML tags it (`meta: {pii: true}` or a kind:
    email, phone, text) on a source or a node; the tag flows down the lineage by column name, so a
    model or snapshot that carries `email` from a tagged ancestor is masked too without retagging.
    Each kind has one masking policy in the governance schema:
      case when is_role_in_session('PII_READER') then val else <mask_pii(kind, val)> end
    applied to the column by the post-hook apply_governance_policies() (dbt_project.yml).
#}

{% macro governance_schema() -%}
    {{ return(var('governance_schema', 'GOVERNANCE')) }}
{%- endmacro %}

{% macro masking_policy_name(kind) -%}
    {{ return(target.database ~ '.' ~ governance_schema() ~ '.PII_' ~ kind | upper ~ '_MASK') }}
{%- endmacro %}

{# create (if absent) and refresh the body of the masking policy for one PII kind #}
{% macro masking_policy_sql(kind) -%}
    {%- set body = "case when is_role_in_session('" ~ governance_roles()['pii_reader'] ~ "') then val else "
        ~ mask_pii(kind, 'val') ~ " end" -%}
    {{ return([
        'create schema if not exists ' ~ target.database ~ '.' ~ governance_schema(),
        'create masking policy if not exists ' ~ masking_policy_name(kind)
            ~ " as (val varchar) returns varchar -> " ~ body
            ~ " comment = 'logistics: masks " ~ kind ~ " PII for roles without " ~ governance_roles()['pii_reader'] ~ "'",
        'alter masking policy ' ~ masking_policy_name(kind) ~ ' set body -> ' ~ body,
    ]) }}
{%- endmacro %}

{# PII columns a source or node declares itself: {column name (lower case): kind} #}
{% macro own_pii_columns(node) -%}
    {%- set found = {} -%}
    {%- for name, column in (node.columns or {}).items() -%}
        {%- set tag = (column.meta or {}).get('pii') or ((column.config or {}).get('meta') or {}).get('pii') -%}
        {%- if tag -%}
            {%- do found.update({name | lower: pii_kind(name, tag)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{# PII columns of a node: its own tags plus those of every ancestor (by column name) #}
{% macro pii_columns(node) -%}
    {%- set found = {} -%}
    {%- set seen = [] -%}
    {%- set queue = [node.unique_id] -%}
    {%- for _ in range(10000) if queue -%}
        {%- set unique_id = queue.pop(0) -%}
        {%- if unique_id not in seen -%}
            {%- do seen.append(unique_id) -%}
            {%- set current = graph.nodes.get(unique_id) or graph.sources.get(unique_id) -%}
            {%- if current -%}
                {%- for name, kind in own_pii_columns(current).items() if name not in found -%}
                    {%- do found.update({name: kind}) -%}
                {%- endfor -%}
                {%- do queue.extend((current.depends_on or {}).get('nodes', [])) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{#
    The governance statements of one relation: a masking policy on each PII column it holds, and the
    row access policies that protect it. `columns` are the relation's actual column names.
#}
{% macro governance_sql(node, relation, columns) -%}
    {%- set statements = [] -%}
    {%- set kind_of_relation = 'view' if node.config.materialized == 'view' else 'table' -%}
    {%- set present = columns | map('lower') | list -%}
    {%- set pii = pii_columns(node) -%}
    {%- for column, kind in pii.items() if kind.startswith('invalid:') and column in present -%}
        {%- do exceptions.raise_compiler_error(
            node.unique_id ~ ': column ' ~ column ~ " is tagged PII with kind '" ~ kind[8:]
            ~ "', which has no masking policy (use true, email, phone or text; macros/portable/mask_pii.sql)") -%}
    {%- endfor -%}
    {%- for kind in pii.values() | unique | sort if pii -%}
        {%- for column, column_kind in pii.items() if column_kind == kind and column in present -%}
            {%- if loop.first -%}{%- do statements.extend(masking_policy_sql(kind)) -%}{%- endif -%}
            {%- do statements.append('alter ' ~ kind_of_relation ~ ' ' ~ relation ~ ' modify column ' ~ column
                ~ ' set masking policy ' ~ masking_policy_name(kind) ~ ' force') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for policy, spec in row_access_policies().items() if node.name in spec['models'] -%}
        {%- do statements.extend(row_access_policy_sql(policy)) -%}
        {%- do statements.append('alter ' ~ kind_of_relation ~ ' ' ~ relation ~ ' drop all row access policies') -%}
        {%- do statements.append('alter ' ~ kind_of_relation ~ ' ' ~ relation ~ ' add row access policy '
            ~ row_access_policy_name(policy) ~ ' on (' ~ spec['columns'] | join(', ') ~ ')') -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    Post-hook of every model and snapshot (dbt_project.yml). On Snowflake targets it masks the PII
    columns of the relation just built and attaches its row access policies; elsewhere it is empty.
#}
{% macro apply_governance_policies() -%}
    {%- if target.type != 'snowflake' or not execute -%}{{ return('') }}{%- endif -%}
    {%- set protected = [] -%}
    {%- for spec in row_access_policies().values() if model.name in spec['models'] -%}
        {%- do protected.append(model.name) -%}
    {%- endfor -%}
    {%- if not (pii_columns(model) or protected) -%}{{ return('') }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {{ return(governance_sql(model, this, columns) | join(';\n')) }}
{%- endmacro %}

{#
    Masks the PII columns of the landing tables (sources), which dbt does not build:
      dbt run-operation mask_landing_pii --target prod --args '{dry_run: true}'
#}
{% macro mask_landing_pii(dry_run=false) -%}
    {%- do require_snowflake_target('mask_landing_pii') -%}
    {%- set statements = [] -%}
    {%- for source in graph.sources.values() -%}
        {%- set pii = own_pii_columns(source) -%}
        {%- for kind in pii.values() | unique | sort -%}
            {%- do statements.extend(masking_policy_sql(kind)) -%}
            {%- for column, column_kind in pii.items() if column_kind == kind -%}
                {%- do statements.append('alter table ' ~ source.database ~ '.' ~ source.schema ~ '.'
                    ~ source.identifier ~ ' modify column ' ~ column ~ ' set masking policy '
                    ~ masking_policy_name(kind) ~ ' force') -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(run_governance_statements('mask_landing_pii', statements, dry_run)) }}
{%- endmacro %}

{#
    What apply_governance_policies() does to every built model and snapshot, without doing it: one
    `-- node: <unique_id>` block per relation with its statements (columns read from the target).
    Also prints `-- pii: <unique_id> <column> <kind>` for every PII column found, which the tests
    compare with the policies applied.
#}
{% macro governance_plan(dry_run=true) -%}
    {%- do require_snowflake_target('governance_plan') -%}
    {%- set all_statements = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot'] and node.config.enabled -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
            {%- set present = columns | map('lower') | list -%}
            {%- set pii = pii_columns(node) -%}
            {%- for column, kind in pii.items() if column in present -%}
                {%- do print('-- pii: ' ~ node.unique_id ~ ' ' ~ column ~ ' ' ~ kind) -%}
            {%- endfor -%}
            {%- set invalid = [] -%}
            {%- for column, kind in pii.items() if kind.startswith('invalid:') and column in present -%}
                {%- do invalid.append(column) -%}
            {%- endfor -%}
            {%- set statements = [] if invalid else governance_sql(node, relation, columns) -%}
            {%- if statements -%}
                {%- do run_governance_statements(node.unique_id, statements, dry_run) -%}
                {%- do all_statements.extend(statements) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(all_statements | join(';\n')) }}
{%- endmacro %}
