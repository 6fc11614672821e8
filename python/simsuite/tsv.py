"""Reader for the suite's TSV tables (experiments' figures/data/*/*.tsv, runs/*/, eigenpredict).

Layout: `#` header lines (`# param name = value` for every parameter, other notes), ONE line of
tab-separated column names, then the rows; non-finite values are written inf, -inf, nan.
"""
import numpy as np

__all__ = ["read_tsv"]


def _value(s):
    s = s.strip()
    for conv in (int, float):
        try:
            return conv(s)
        except ValueError:
            pass
    return s


def read_tsv(path, as_dataframe=False):
    """Read one table.  Returns (table, params):

    table   a dict {column name: numpy array} in file order (float64 where every entry is a
            number, else an array of str); a pandas DataFrame if as_dataframe=True (pandas needed)
    params  a dict of the `# param name = value` lines (numbers converted), plus "_header": the
            other `#` lines in order (experiment, table, command, notes, ...)
    """
    params, notes, names, rows = {}, [], None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if line.startswith("#"):
                body = line[1:].strip()
                if body.startswith("param ") and "=" in body:
                    k, _, v = body[6:].partition("=")
                    params[k.strip()] = _value(v)
                else:
                    notes.append(body)
                continue
            if not line.strip():
                continue
            fields = line.split("\t")
            if names is None:
                names = fields
                continue
            if len(fields) != len(names):
                raise ValueError("%s: a row has %d fields but there are %d columns" % (path, len(fields), len(names)))
            rows.append(fields)
    if names is None:
        raise ValueError("%s: no column-name line" % path)
    params["_header"] = notes
    table = {}
    for j, name in enumerate(names):
        col = [r[j] for r in rows]
        try:
            table[name] = np.array([float(x) for x in col], dtype=np.float64)
        except ValueError:
            table[name] = np.array(col, dtype=str)
    if as_dataframe:
        import pandas as pd  # optional
        return pd.DataFrame(table), params
    return table, params
