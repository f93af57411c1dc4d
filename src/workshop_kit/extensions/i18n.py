"""The plugin's own UI strings in every language the site is written in.

Markdown extensions render text into HTML at build time and the browser scripts read the same
table (emitted as JSON), so a label is translated in exactly one place.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "timing.start": "Start",
        "timing.end": "End",
        "timing.duration": "Duration",
        "timing.elapsed": "Elapsed",
        "timing.total": "Total",
        "timing.day": "Day {n}",
        "timing.problems": "Problems in this timing table",
        "timing.gap": "Gap",
        "kind.talk": "Talk",
        "kind.hands-on": "Hands-on",
        "kind.break": "Break",
        "kind.lunch": "Lunch",
        "kind.demo": "Demo",
        "kind.day": "Day",
        "clock.now": "Now: {title}",
        "clock.next": "Next: {title} in {minutes} min",
        "clock.next_none": "Last item of the agenda",
        "clock.behind": "{minutes} min behind",
        "clock.ahead": "{minutes} min ahead",
        "clock.on_time": "On time",
        "clock.projected_end": "Projected end: {time}",
        "clock.start_now": "Start now",
        "clock.finished": "Done",
        "clock.shift": "Shift schedule",
        "clock.shift_prompt": "New start time (HH:MM)",
        "clock.new_run": "New run",
        "clock.bad_start": "“{value}” is not a time of day: write it as HH:MM, e.g. 09:30.",
        "clock.shifted": "Shifted start: {time} (planned {planned})",
        "clock.unshift": "Remove the shift",
        "clock.stale": "Done marks of a run from {date} are not applied; “New run” clears them.",
        "clock.over": "The day is over",
        "clock.overran": "overran by {minutes} min",
        "clock.ended": "Ended: {time}",
        "clock.overrunning": "{minutes} min past its end",
        "clock.next_after": "Next: {title}, once this ends",
        "clock.past_end": "Past the planned end ({time})",
        "clock.new_run_confirm": "Start a new run? Today's done marks and questions time are cleared; “Restore the "
                                 "previous run” brings them back until midnight.",
        "clock.start_now_confirm": "Start now? The agenda moves to start at this minute and today's done marks and "
                                   "questions time are cleared; “Restore the previous run” brings them back until "
                                   "midnight.",
        "clock.undo": "Restore the previous run",
        "clock.past": "planned {planned} · past {past} (p80 {p80})",
        "clock.past_title": "Minutes: planned, median of {runs} past run(s), 80th percentile",
        "clock.past_pace": "Projected end at past pace",
        "clock.projected_past": "Projected end at past pace: {time}",
        "clock.questions": "Questions",
        "clock.questions_stop": "End questions",
        "clock.questions_on": "Questions: {minutes} min",
        "clock.export": "Export run",
        "clock.export_empty": "This run has no done mark or questions time to export yet.",
        "checklist.progress": "{done} / {total}",
        "checklist.reset": "Reset page",
        "checklist.reset_confirm": "Untick every item on this page?",
        "checklist.export": "Export",
        "checklist.import": "Import",
        "checklist.import_failed": "This file is not a checklist export of this site.",
        "checklist.import_other_page": "This file holds the ticks of another page ({page}), not of this one. "
                                       "Add them to that page's ticks?",
        "checklist.orphans": "Ticks that no longer match an item: {n}",
        "checklist.progress_label": "Checklist progress",
        "checklist.print": "Print",
        "checklist.only_interactive": "Only steps for participants",
        "checklist.orphan_drop": "Drop",
        "checklist.orphan_move": "Move to “{item}”",
        "marker.INTERACTIVE": "Participants too",
        "marker.SPEAKER": "Speaker",
        "marker.PREP": "Preparation",
        "blocks.tested_in": "Tested in {project}",
        "blocks.not_run": "Not run in CI: {reason}",
        "check.title": "Check this step",
        "check.run": "In the project folder, with its virtual environment active:",
        "check.after": ("check.py prints this line when the step worked. Otherwise it says what is missing "
                        "and which part of this page to read again; fix it and run it again."),
        "check.catch_up": ("Stuck? Download {zip} into the project folder (or the folder above it) and run {command}: "
                           "it saves your changed files in a dated backup folder beside the project, then replays "
                           "the page up to this step."),
        "view.speaker": "Speaker view",
        "view.show": "Show speaker notes (speaker view)",
        "view.hide": "Hide speaker notes (participant view)",
        "sheet.loading": "Putting the sheet together…",
        "sheet.failed": "This part could not be loaded: {url}",
        "sheet.notes": "Speaker notes from the other pages",
        "sheet.shifted": "start shifted to {time}",
        "sheet.planned": "planned times",
        "sheet.speaker_only": "Speaker notes show in the speaker view only: switch to it (the button in the "
                              "header) before printing this sheet.",
        "room.region": "Room progress",
        "room.address": "Room server address",
        "room.token": "Speaker token",
        "room.connect": "Connect",
        "room.disconnect": "Disconnect",
        "room.show_seats": "Show seats",
        "room.hint": "Start the room server on your laptop with {command}, then paste the address and the token "
                     "it prints.",
        "room.connecting": "Room: {address} · connecting…",
        "room.connected": "Room: {address} · {seats} · updated {time}",
        "room.seats": "{n} seats",
        "room.seats_one": "{n} seat",
        "room.step_prefix": "Room:",
        "room.done": "{n} done",
        "room.done_one": "{n} done",
        "room.stuck": "{n} stuck",
        "room.stuck_one": "{n} stuck",
        "room.working": "{n} working",
        "room.not_started": "{n} not started",
        "room.not_started_one": "{n} not started",
        "room.stuck_seats": "stuck: {seats}",
        "room.working_seats": "working: {seats}",
        "room.no_results": "no check received for this handout yet",
        "room.no_kits": "No participant has sent a check yet.",
        "room.kit": "{kit}: the median seat has done {done}/{total} steps",
        "room.pace": "{minutes} min per step",
        "room.no_pace": "no pace yet (a seat needs two steps done)",
        "room.left": "about {minutes} min left (≈ {time})",
        "room.all_done": "every step done",
        "room.bad_address": "“{value}” is not a room server address: write it like http://192.168.1.20:8765.",
        "room.no_token": "Paste the speaker token that workshop room serve printed.",
        "room.unauthorized": "The room server refused this token: paste the one workshop room serve printed (it is "
                             "also in the speaker-token file beside the room's database).",
        "room.unreachable": "The room server does not answer at {address} (is it running, started with --origin "
                            "{origin}?); trying again every 5 s.",
        "room.mixed": "This page is served over https: the browser does not let it read {address}. On the laptop "
                      "running the room server, connect to http://127.0.0.1:{port} instead.",
        "room.server_error": "The room server answered {status}: {message}",
        "room.bad_answer": "The answer from {address} is not the room's progress: is it a Workshop Kit room server?",
    },
    "fr": {
        "timing.start": "Début",
        "timing.end": "Fin",
        "timing.duration": "Durée",
        "timing.elapsed": "Écoulé",
        "timing.total": "Total",
        "timing.day": "Jour {n}",
        "timing.problems": "Problèmes dans ce tableau horaire",
        "timing.gap": "Trou",
        "kind.talk": "Exposé",
        "kind.hands-on": "Pratique",
        "kind.break": "Pause",
        "kind.lunch": "Déjeuner",
        "kind.demo": "Démo",
        "kind.day": "Jour",
        "clock.now": "En cours : {title}",
        "clock.next": "Ensuite : {title} dans {minutes} min",
        "clock.next_none": "Dernier point de l'agenda",
        "clock.behind": "{minutes} min de retard",
        "clock.ahead": "{minutes} min d'avance",
        "clock.on_time": "À l'heure",
        "clock.projected_end": "Fin prévue : {time}",
        "clock.start_now": "Démarrer",
        "clock.finished": "Terminé",
        "clock.shift": "Décaler l'horaire",
        "clock.shift_prompt": "Nouvelle heure de début (HH:MM)",
        "clock.new_run": "Nouvelle séance",
        "clock.bad_start": "« {value} » n'est pas une heure : écrivez-la HH:MM, par exemple 09:30.",
        "clock.shifted": "Début décalé : {time} (prévu {planned})",
        "clock.unshift": "Annuler le décalage",
        "clock.stale": "Les points terminés d'une séance du {date} ne sont pas appliqués ; "
                       "« Nouvelle séance » les efface.",
        "clock.over": "La journée est terminée",
        "clock.overran": "dépassement de {minutes} min",
        "clock.ended": "Fin : {time}",
        "clock.overrunning": "déborde de {minutes} min",
        "clock.next_after": "Ensuite : {title}, une fois ce point terminé",
        "clock.past_end": "Fin prévue dépassée ({time})",
        "clock.new_run_confirm": "Commencer une nouvelle séance ? Les points terminés et le temps de questions "
                                 "d'aujourd'hui sont effacés ; « Rétablir la séance précédente » les rétablit "
                                 "jusqu'à minuit.",
        "clock.start_now_confirm": "Démarrer maintenant ? L'agenda commence à cette minute, et les points terminés et "
                                   "le temps de questions d'aujourd'hui sont effacés ; « Rétablir la séance "
                                   "précédente » les rétablit jusqu'à minuit.",
        "clock.undo": "Rétablir la séance précédente",
        "clock.past": "prévu {planned} · séances passées {past} (p80 {p80})",
        "clock.past_title": "En minutes : prévu, médiane de {runs} séance(s) passée(s), 80e centile",
        "clock.past_pace": "Fin prévue au rythme des séances passées",
        "clock.projected_past": "Fin prévue au rythme des séances passées : {time}",
        "clock.questions": "Questions",
        "clock.questions_stop": "Fin des questions",
        "clock.questions_on": "Questions : {minutes} min",
        "clock.export": "Exporter la séance",
        "clock.export_empty": "Cette séance n'a encore ni point terminé ni temps de questions à exporter.",
        "checklist.progress": "{done} / {total}",
        "checklist.reset": "Tout décocher",
        "checklist.reset_confirm": "Décocher tous les points de cette page ?",
        "checklist.export": "Exporter",
        "checklist.import": "Importer",
        "checklist.import_failed": "Ce fichier n'est pas un export de liste à cocher de ce site.",
        "checklist.import_other_page": "Ce fichier contient les coches d'une autre page ({page}), pas de celle-ci. "
                                       "Les ajouter aux coches de cette page-là ?",
        "checklist.orphans": "Coches qui ne correspondent plus à aucun point : {n}",
        "checklist.progress_label": "Avancement de la liste",
        "checklist.print": "Imprimer",
        "checklist.only_interactive": "Seulement les étapes des participants",
        "checklist.orphan_drop": "Retirer",
        "checklist.orphan_move": "Reporter sur « {item} »",
        "marker.INTERACTIVE": "Participants aussi",
        "marker.SPEAKER": "Animateur",
        "marker.PREP": "Préparation",
        "blocks.tested_in": "Testé dans {project}",
        "blocks.not_run": "Non exécuté en CI : {reason}",
        "check.title": "Vérifiez cette étape",
        "check.run": "Dans le dossier du projet, son environnement virtuel activé :",
        "check.after": ("check.py affiche cette ligne quand l'étape a réussi. Sinon, il dit ce qui manque "
                        "et quelle partie de cette page relire ; corrigez, puis relancez-le."),
        "check.catch_up": ("Bloqué ? Téléchargez {zip} dans le dossier du projet (ou dans le dossier qui le "
                           "contient) et lancez {command} : vos fichiers modifiés sont mis de côté dans un dossier "
                           "de sauvegarde daté, à côté du projet, puis la page est rejouée jusqu'à cette étape."),
        "view.speaker": "Vue animateur",
        "view.show": "Afficher les notes d'animation (vue animateur)",
        "view.hide": "Masquer les notes d'animation (vue participant)",
        "sheet.loading": "Assemblage de la fiche…",
        "sheet.failed": "Cette partie n'a pas pu être chargée : {url}",
        "sheet.notes": "Notes d'animation des autres pages",
        "sheet.shifted": "début décalé à {time}",
        "sheet.planned": "horaires prévus",
        "sheet.speaker_only": "Les notes d'animation ne s'affichent qu'en vue animateur : passez-y (le bouton de "
                              "l'en-tête) avant d'imprimer cette fiche.",
        "room.region": "Avancement de la salle",
        "room.address": "Adresse du serveur de salle",
        "room.token": "Jeton animateur",
        "room.connect": "Se connecter",
        "room.disconnect": "Se déconnecter",
        "room.show_seats": "Afficher les postes",
        "room.hint": "Lancez le serveur de salle sur votre portable avec {command}, puis collez l'adresse et le "
                     "jeton qu'il affiche.",
        "room.connecting": "Salle : {address} · connexion…",
        "room.connected": "Salle : {address} · {seats} · mis à jour à {time}",
        "room.seats": "{n} postes",
        "room.seats_one": "{n} poste",
        "room.step_prefix": "Salle :",
        "room.done": "{n} terminés",
        "room.done_one": "{n} terminé",
        "room.stuck": "{n} bloqués",
        "room.stuck_one": "{n} bloqué",
        "room.working": "{n} en cours",
        "room.not_started": "{n} non commencés",
        "room.not_started_one": "{n} non commencé",
        "room.stuck_seats": "bloqués : {seats}",
        "room.working_seats": "en cours : {seats}",
        "room.no_results": "pas encore de vérification reçue pour cette fiche",
        "room.no_kits": "Aucun participant n'a encore envoyé de vérification.",
        "room.kit": "{kit} : le poste médian a terminé {done}/{total} étapes",
        "room.pace": "{minutes} min par étape",
        "room.no_pace": "pas encore de rythme (il faut qu'un poste ait terminé deux étapes)",
        "room.left": "environ {minutes} min restantes (≈ {time})",
        "room.all_done": "toutes les étapes sont terminées",
        "room.bad_address": "« {value} » n'est pas une adresse de serveur de salle : écrivez-la comme "
                            "http://192.168.1.20:8765.",
        "room.no_token": "Collez le jeton animateur affiché par workshop room serve.",
        "room.unauthorized": "Le serveur de salle a refusé ce jeton : collez celui qu'affiche workshop room serve "
                             "(il est aussi dans le fichier speaker-token, à côté de la base de la salle).",
        "room.unreachable": "Le serveur de salle ne répond pas à {address} (est-il lancé, avec --origin {origin} ?) ; "
                            "nouvel essai toutes les 5 s.",
        "room.mixed": "Cette page est servie en https : le navigateur l'empêche de lire {address}. Sur le portable "
                      "qui fait tourner le serveur de salle, connectez-vous plutôt à http://127.0.0.1:{port}.",
        "room.server_error": "Le serveur de salle a répondu {status} : {message}",
        "room.bad_answer": "La réponse de {address} n'est pas l'avancement de la salle : est-ce bien un serveur de "
                           "salle Workshop Kit ?",
    },
}


def language_of(code: str | None) -> str:
    """`fr_FR`, `fr-CA`, `FR` -> `fr`; unknown languages fall back to English."""
    base = (code or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
    return base if base in STRINGS else DEFAULT_LANGUAGE


def translate(key: str, lang: str | None = None, **values: object) -> str:
    """The string for `key` in `lang`, formatted with `values`; English when a key is missing."""
    table = STRINGS[language_of(lang)]
    text = table.get(key, STRINGS[DEFAULT_LANGUAGE][key])
    return text.format(**values) if values else text


def default_language(config) -> str:
    """The site's default language: mkdocs-static-i18n's default locale, else the theme's."""
    plugin = config.plugins.get("i18n") if hasattr(config, "plugins") else None
    for language in getattr(getattr(plugin, "config", None), "languages", None) or []:
        if getattr(language, "default", False):
            return language_of(language.locale)
    return language_of(config.theme.get("language"))
