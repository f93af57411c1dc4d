"""Writes pokemon_classifier.ipynb, the workshop's "before": the whole model in one notebook, and
its French twin pokemon_classifier.fr.ipynb (the same code cells, the prose translated).

The notebooks are committed; this script is how they were made, so a change is a reviewable diff
here. The outputs the site shows are stored in the notebooks by the tests (`pytest
--workshop-update-output`); this script keeps the stored outputs of every code cell it leaves
unchanged, and gives the French notebook the English one's.
"""

import hashlib
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from nbformat.v4 import new_markdown_cell as markdown


def new_markdown_cell(english: str, french: str) -> dict:
    """A Markdown cell in both languages."""
    return {"en": english, "fr": french}

CELLS = [
    new_markdown_cell("# Which sprites are Water Pokémon?\n\nA working prototype, all in one notebook: load "
                      "the sprites and their types, train a small CNN, evaluate it. The workshop then turns "
                      "these cells into a DVC pipeline.",
                      "# Quels Pokémon sont de type Eau ?\n\nUn prototype qui fonctionne, tout entier dans un "
                      "notebook : charger les images (*sprites*) et les types des Pokémon, entraîner un petit "
                      "réseau convolutif, l'évaluer. L'atelier transforme ensuite ces cellules en pipeline DVC."),
    new_code_cell("import csv\nimport os\nfrom pathlib import Path\n\n"
                  "# Before TensorFlow loads: hide its C++ log lines (set it to 0 to see everything).\n"
                  "os.environ.setdefault(\"TF_CPP_MIN_LOG_LEVEL\", \"3\")\n\n"
                  "import numpy as np\nimport tensorflow as tf\n"
                  "from PIL import Image\nfrom sklearn.metrics import accuracy_score, recall_score\n"
                  "from sklearn.model_selection import train_test_split\n\n"
                  "SEED = 42\nPOKEMON_TYPE_TRAIN = \"Water\"\nDATA = Path(\"data/external\")\n"
                  "tf.keras.utils.set_random_seed(SEED)"),
    new_markdown_cell("## Load the data\n\nEach sprite has a transparent background: paint it white, so the "
                      "model cannot learn anything from it.",
                      "## Charger les données\n\nChaque image a un fond transparent : on le peint en blanc, "
                      "pour que le modèle ne puisse rien en apprendre."),
    new_code_cell("def load_sprite(path):\n    sprite = Image.open(path).convert(\"RGBA\")\n"
                  "    white = Image.new(\"RGBA\", sprite.size, (255, 255, 255, 255))\n"
                  "    return np.asarray(Image.alpha_composite(white, sprite).convert(\"RGB\"), dtype=np.uint8)\n\n"
                  "images, labels = [], []\n"
                  "with open(DATA / \"stats\" / \"pokemon-gen-1-8.csv\", newline=\"\") as stats:\n"
                  "    for row in csv.DictReader(stats):\n"
                  "        path = DATA / \"images\" / f\"{row['pokedex_number']}.png\"\n"
                  "        if path.exists():\n"
                  "            images.append(load_sprite(path))\n"
                  "            labels.append(int(POKEMON_TYPE_TRAIN in (row[\"type1\"], row[\"type2\"])))\n"
                  "images, labels = np.stack(images), np.array(labels)\n"
                  "print(f\"{len(labels)} sprites, {labels.sum()} of type {POKEMON_TYPE_TRAIN}\")"),
    new_markdown_cell("## Split, train, evaluate", "## Séparer les données, entraîner, évaluer"),
    new_code_cell("train_x, test_x, train_y, test_y = train_test_split(\n"
                  "    images, labels, test_size=0.2, random_state=SEED, stratify=labels)\n\n"
                  "model = tf.keras.Sequential([\n"
                  "    tf.keras.layers.Input((64, 64, 3)),\n"
                  "    tf.keras.layers.Rescaling(1.0 / 255),\n"
                  "    tf.keras.layers.Conv2D(16, 3, activation=\"relu\"),\n"
                  "    tf.keras.layers.MaxPooling2D(),\n"
                  "    tf.keras.layers.Conv2D(32, 3, activation=\"relu\"),\n"
                  "    tf.keras.layers.MaxPooling2D(),\n"
                  "    tf.keras.layers.GlobalAveragePooling2D(),\n"
                  "    tf.keras.layers.Dense(32, activation=\"relu\"),\n"
                  "    tf.keras.layers.Dense(1, activation=\"sigmoid\"),\n"
                  "])\n"
                  "model.compile(optimizer=tf.keras.optimizers.Adam(0.001), loss=\"binary_crossentropy\", "
                  "metrics=[\"accuracy\"])\n"
                  "weights = {0: len(train_y) / (2 * (train_y == 0).sum()), 1: len(train_y) / (2 * train_y.sum())}\n"
                  "history = model.fit(train_x, train_y, epochs=15, batch_size=120, validation_split=0.2,\n"
                  "                    class_weight=weights, verbose=0)"),
    new_code_cell("predicted = (model.predict(test_x, verbose=0).ravel() >= 0.5).astype(int)\n"
                  "print(f\"accuracy: {accuracy_score(test_y, predicted):.3f}\")\n"
                  "print(f\"recall:   {recall_score(test_y, predicted):.3f}\")"),
    new_markdown_cell("Not a very good model yet, but a working one. Next: make it reproducible.",
                      "Le modèle n'est pas encore très bon, mais il fonctionne. Prochaine étape : le rendre "
                      "reproductible."),
]


def cell_id(index: int) -> str:
    """Stable ids, so writing the notebooks again changes nothing that did not change."""
    return hashlib.sha1(f"pokemon_classifier.ipynb:{index}".encode()).hexdigest()[:8]


def stored_outputs(path: Path) -> dict[str, tuple]:
    """The outputs stored in a notebook, by code cell source."""
    if not path.is_file():
        return {}
    cells = nbformat.read(path, as_version=4).cells
    return {cell.source: (cell.execution_count, cell.outputs) for cell in cells if cell.cell_type == "code"}


def build(lang: str, outputs: dict[str, tuple]):
    made = []
    for index, cell in enumerate(CELLS):
        if "cell_type" not in cell:  # new_markdown_cell(english, french)
            made.append(markdown(cell[lang]))
        else:
            made.append(new_code_cell(cell.source))
            made[-1].execution_count, made[-1].outputs = outputs.get(cell.source, (None, []))
        made[-1].id = cell_id(index)
    return new_notebook(cells=made, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        # Read by the site's tests, which run the cells as one session in a copy of this project.
        "workshop": {"project": "pokemon-dvc", "setup": "python scripts/generate_data.py --output data/external"},
    })


def main() -> None:
    folder = Path(__file__).parents[1]
    outputs = stored_outputs(folder / "pokemon_classifier.ipynb")
    for lang, name in (("en", "pokemon_classifier.ipynb"), ("fr", "pokemon_classifier.fr.ipynb")):
        nbformat.write(build(lang, outputs), folder / name)
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main()
