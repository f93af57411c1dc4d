"""Writes the lab's four notebooks, one per part, each calling the project's own modules, in
English (`1-introduction.ipynb`) and in French (`1-introduction.fr.ipynb`: the same code cells,
the prose translated).

The notebooks are committed; this script is how they were made, so a change is a reviewable
diff here. Their metadata tells the site's tests how to run them (project and set-up). The
outputs the site shows are stored in the notebooks by the tests (`pytest --workshop-update-output`);
this script keeps the stored outputs of every code cell it leaves unchanged, and gives the French
notebook the English one's.
"""

import hashlib
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell as code
from nbformat.v4 import new_markdown_cell
from nbformat.v4 import new_notebook


def text(english: str, french: str) -> dict:
    """A Markdown cell in both languages."""
    return {"en": english, "fr": french}

GENERATE = "python generate_data.py --output data --train 12 --valid 4"
FEATURIZE = "python featurize.py --data data --output features --batch-size 16"
TUNE = "python tune.py --features features --max-runs 3 --workers 2 --epochs 10"

NOTEBOOKS = {
    "1-introduction.ipynb": (GENERATE, [
        text("# Part 1: Introduction\n\nGiven an aerial image, which of six land uses does it show? "
             "Here are the images the lab works with.",
             "# Partie 1 : Introduction\n\nÀ laquelle des six catégories d'occupation du sol une image aérienne "
             "appartient-elle ? "
             "Voici les images sur lesquelles travaille l'atelier."),
        code("from pathlib import Path\n\nfrom PIL import Image\n\nDATA = Path(\"data\")\n"
             "classes = sorted(p.name for p in (DATA / \"train\").iterdir())\n"
             "for name in classes:\n"
             "    print(f\"{name:<11} train: {len(list((DATA / 'train' / name).glob('*.png'))):>3}  \"\n"
             "          f\"valid: {len(list((DATA / 'valid' / name).glob('*.png'))):>3}\")"),
        code("sheet = Image.new(\"RGB\", (64 * len(classes), 64))\n"
             "for column, name in enumerate(classes):\n"
             "    sheet.paste(Image.open(DATA / \"train\" / name / \"000.png\"), (64 * column, 0))\n"
             "sheet.resize((128 * len(classes), 128))"),
        text("Transfer learning: a network trained on other images turns each picture into features; "
             "a small classifier learns the six classes from them.",
             "Apprentissage par transfert : un réseau entraîné sur d'autres images transforme chaque image "
             "en caractéristiques, à partir desquelles un petit classifieur apprend les six classes."),
    ]),
    "2-feature-engineering.ipynb": (GENERATE, [
        text("# Part 2: Feature engineering\n\nImages are read in chunks, never all at once, and each "
             "chunk goes through the convolutional network to get its bottleneck features.",
             "# Partie 2 : Ingénierie des caractéristiques\n\nLes images sont lues par lots, jamais toutes "
             "à la fois, et chaque lot traverse le réseau convolutif, qui en tire les caractéristiques de sa "
             "couche goulot (*bottleneck*)."),
        code("from pathlib import Path\n\nfrom featurize import chunks, featurize, image_paths\n\n"
             "paths, labels, classes = image_paths(Path(\"data/train\"))\n"
             "print(len(paths), \"images in\", [len(chunk) for chunk in chunks(paths, 16)], \"chunks\")"),
        code("counts = featurize(Path(\"data\"), Path(\"features\"), batch_size=16)\ncounts"),
        code("import numpy as np\n\nfeatures = np.load(\"features/train.npz\")\nfeatures[\"features\"].shape"),
    ]),
    "3-training-and-tuning.ipynb": (f"{GENERATE} && {FEATURIZE}", [
        text("# Part 3: Training and hyperparameter tuning\n\nOne classifier first, tracked in MLflow; "
             "then a grid search over units, L1 and L2, capped in runs, two at a time.",
             "# Partie 3 : Entraînement et réglage des hyperparamètres\n\nD'abord un classifieur, suivi "
             "dans MLflow ; puis une recherche par grille sur le nombre d'unités, L1 et L2, limitée en nombre "
             "d'exécutions, deux en parallèle."),
        code("from pathlib import Path\n\nimport mlflow\n\nfrom classifier import fit, load_features, use_tracking\n\n"
             "use_tracking()\ndata = load_features(Path(\"features\"))\n"
             "with mlflow.start_run(run_name=\"from the notebook\"):\n"
             "    mlflow.log_params({\"units\": 64, \"l1\": 0.0, \"l2\": 0.01})\n"
             "    model, history, accuracy = fit(data, units=64, l1=0.0, l2=0.01, epochs=10)\n"
             "    mlflow.log_metric(\"val_accuracy\", accuracy)\naccuracy"),
        code("from tune import search\n\nranked, version = search(Path(\"features\"), max_runs=3, workers=2, epochs=10)\n"
             "for params, accuracy in ranked:\n    print(f\"{accuracy:.3f}  {params}\")\n"
             "print(\"registered version\", version)"),
    ]),
    "4-operationalisation.ipynb": (f"{GENERATE} && {FEATURIZE} && {TUNE}", [
        text("# Part 4: Operationalisation\n\nThe scoring script's `init()` loads the registered model "
             "once; `run()` answers one JSON request. The deployment platform calls them; so can we.",
             "# Partie 4 : Mise en production\n\nDans le script de prédiction, `init()` charge une seule "
             "fois le modèle du registre ; `run()` répond à une requête JSON. La plateforme de déploiement "
             "appelle ces deux fonctions ; nous pouvons les appeler nous aussi."),
        code("import json\n\nimport score\n\nscore.init()\n"
             "answer = json.loads(score.run(json.dumps({\"image\": \"data/valid/Forest/000.png\"})))\n"
             "answer"),
        code("max(answer, key=answer.get)"),
        text("`serve.py` puts the same two functions behind HTTP: `POST /score`, `GET /health`.",
             "`serve.py` expose ces deux mêmes fonctions en HTTP : `POST /score`, `GET /health`."),
    ]),
}


def cell_id(name: str, index: int) -> str:
    """Stable ids, so writing the notebooks again changes nothing that did not change."""
    return hashlib.sha1(f"{name}:{index}".encode()).hexdigest()[:8]


def stored_outputs(path: Path) -> dict[str, tuple]:
    """The outputs stored in a notebook, by code cell source."""
    if not path.is_file():
        return {}
    cells = nbformat.read(path, as_version=4).cells
    return {cell.source: (cell.execution_count, cell.outputs) for cell in cells if cell.cell_type == "code"}


def build(name: str, setup: str, cells: list, lang: str, outputs: dict[str, tuple]):
    made = []
    for index, cell in enumerate(cells):
        if "cell_type" not in cell:  # text(english, french)
            made.append(new_markdown_cell(cell[lang]))
        else:
            made.append(code(cell.source))
            made[-1].execution_count, made[-1].outputs = outputs.get(cell.source, (None, []))
        made[-1].id = cell_id(name, index)
    return new_notebook(cells=made, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        # Read by the site's tests: they run the cells in a copy of this project, after `setup`.
        "workshop": {"project": "landuse-lab", "setup": setup},
    })


def main() -> None:
    folder = Path(__file__).parents[1]  # beside the modules they import and the data they read
    for name, (setup, cells) in NOTEBOOKS.items():
        outputs = stored_outputs(folder / name)
        for lang, target in (("en", folder / name), ("fr", folder / name.replace(".ipynb", ".fr.ipynb"))):
            nbformat.write(build(name, setup, cells, lang, outputs), target)
            print(f"wrote {target}")


if __name__ == "__main__":
    main()
