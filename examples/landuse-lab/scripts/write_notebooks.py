"""Writes the lab's four notebooks, one per part, each calling the project's own modules.

The notebooks are committed; this script is how they were made, so a change is a reviewable
diff here. Their metadata tells the site's tests how to run them (project and set-up).
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell as code
from nbformat.v4 import new_markdown_cell as text
from nbformat.v4 import new_notebook

GENERATE = "python generate_data.py --output data --train 12 --valid 4"
FEATURIZE = "python featurize.py --data data --output features --batch-size 16"
TUNE = "python tune.py --features features --max-runs 3 --workers 2 --epochs 10"

NOTEBOOKS = {
    "1-introduction.ipynb": (GENERATE, [
        text("# Part 1: Introduction\n\nGiven an aerial image, which of six land uses does it show? "
             "Here are the images the lab works with."),
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
             "a small classifier learns the six classes from them."),
    ]),
    "2-feature-engineering.ipynb": (GENERATE, [
        text("# Part 2: Feature engineering\n\nImages are read in chunks, never all at once, and each "
             "chunk goes through the convolutional network to get its bottleneck features."),
        code("from pathlib import Path\n\nfrom featurize import chunks, featurize, image_paths\n\n"
             "paths, labels, classes = image_paths(Path(\"data/train\"))\n"
             "print(len(paths), \"images in\", [len(chunk) for chunk in chunks(paths, 16)], \"chunks\")"),
        code("counts = featurize(Path(\"data\"), Path(\"features\"), batch_size=16)\ncounts"),
        code("import numpy as np\n\nfeatures = np.load(\"features/train.npz\")\nfeatures[\"features\"].shape"),
    ]),
    "3-training-and-tuning.ipynb": (f"{GENERATE} && {FEATURIZE}", [
        text("# Part 3: Training and hyperparameter tuning\n\nOne classifier first, tracked in MLflow; "
             "then a grid search over units, L1 and L2, capped in runs, two at a time."),
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
             "once; `run()` answers one JSON request. The deployment platform calls them; so can we."),
        code("import json\n\nimport score\n\nscore.init()\n"
             "answer = json.loads(score.run(json.dumps({\"image\": \"data/valid/Forest/000.png\"})))\n"
             "answer"),
        code("max(answer, key=answer.get)"),
        text("`serve.py` puts the same two functions behind HTTP: `POST /score`, `GET /health`."),
    ]),
}


def main() -> None:
    folder = Path(__file__).parents[1]  # beside the modules they import and the data they read
    for name, (setup, cells) in NOTEBOOKS.items():
        notebook = new_notebook(cells=cells, metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            # Read by the site's tests: they run the cells in a copy of this project, after `setup`.
            "workshop": {"project": "landuse-lab", "setup": setup},
        })
        nbformat.write(notebook, folder / name)
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main()
