"""Reads an Airflow DAG file without Airflow: parses it with the ast module (the file is never run) and
prints, as JSON, every SparkSubmitOperator call's keyword arguments and the task dependencies (a >> b).

Values are resolved the way the file would compute them at import time, as far as that needs no code:
literals, module-level names, f-strings, **dicts, os.environ.get(NAME, DEFAULT) (the default);
profile("NAME") (the DAG's reader of conf/spark/NAME.conf) becomes {"$profile": "NAME"}, and anything
else {"$unresolved": "<source>"} so that the caller can report it.

    python3 dag_tasks.py DAG.py
"""
import ast
import json
import sys


def main(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    names, tasks, variables, edges = {}, [], {}, []

    def resolve(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [resolve(e) for e in node.elts]
        if isinstance(node, ast.Dict):
            out = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    out.update(resolve(v))
                else:
                    out[resolve(k)] = resolve(v)
            return out
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.JoinedStr):
            return "".join(str(resolve(v.value)) if isinstance(v, ast.FormattedValue) else v.value for v in node.values)
        if isinstance(node, ast.Call):
            callee = ast.unparse(node.func)
            if callee == "os.environ.get" and len(node.args) == 2:
                return resolve(node.args[1])
            if callee == "profile" and len(node.args) == 1:
                return {"$profile": resolve(node.args[0])}
            if callee == "dict" and not node.args:
                return {k.arg: resolve(k.value) for k in node.keywords}
        return {"$unresolved": ast.unparse(node)}

    def operator_call(node):
        if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "SparkSubmitOperator":
            kwargs = {}
            for k in node.keywords:
                if k.arg is None:
                    kwargs.update(resolve(k.value))
                else:
                    kwargs[k.arg] = resolve(k.value)
            return {"line": node.lineno, "kwargs": kwargs}
        return None

    def chain(node):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
            left, right = chain(node.left), chain(node.right)
            edges.append([left[-1], right[0]])
            return left + right
        return [variables.get(ast.unparse(node), ast.unparse(node))]

    def visit(body):
        for stmt in body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                task = operator_call(stmt.value)
                if task:
                    tasks.append(task)
                    variables[stmt.targets[0].id] = task["kwargs"].get("task_id")
                else:
                    names[stmt.targets[0].id] = resolve(stmt.value)
            elif isinstance(stmt, ast.Expr):
                task = operator_call(stmt.value)
                if task:
                    tasks.append(task)
                else:
                    chain(stmt.value)
            elif isinstance(stmt, ast.With):
                visit(stmt.body)

    visit(tree.body)
    json.dump({"tasks": tasks, "edges": edges}, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
