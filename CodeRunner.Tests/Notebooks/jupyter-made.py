# How CodeRunner.Tests/Notebooks/jupyter-made.ipynb was made: this script wrote the cells with nbformat, and Jupyter
# ran them (python3 -m nbconvert --to notebook --execute --allow-errors), with Debian bookworm's python3-nbconvert and
# python3-ipykernel on top of the Python runtime image. The tests read the result as a notebook Jupyter made.
import nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell, new_raw_cell
nb = new_notebook()
nb.cells = [
    new_markdown_cell("# Temperatures\nA **small** data set, with a [link](https://example.org), `code` and a list:\n\n- one\n- two"),
    new_code_cell("import pandas as pd\nimport matplotlib.pyplot as plt\ndf = pd.DataFrame({'day': [1, 2, 3], 'temp': [11.5, 13.0, 9.25]})\ndf"),
    new_code_cell("print('mean', df.temp.mean())\nimport sys\nprint('careful', file=sys.stderr)"),
    new_code_cell("plt.plot(df.day, df.temp)\nplt.title('Temperature')\nplt.show()"),
    new_code_cell("from IPython.display import Markdown, display\ndisplay(Markdown('**bold** result'))\n1/0"),
    new_code_cell("'é and ü and 漢字 survive'"),
    new_raw_cell("raw text stays as it is"),
    new_code_cell("# never run"),
]
nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
nbformat.write(nb, "source.ipynb")
