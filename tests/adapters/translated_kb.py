"""A tiny knowledge base with one article translated into every language the bot speaks, and a
question in each language that finds it: for the end-to-end language tests of each adapter."""

from __future__ import annotations

from pathlib import Path

ORIGINAL_TITLE = "Reset a forgotten password"

# language: (title of the version in that language, a question a user would ask in it)
VERSIONS = {
    "en": (ORIGINAL_TITLE, "I forgot my password"),
    "fr": ("Réinitialiser un mot de passe oublié", "J'ai oublié mon mot de passe"),
    "es": ("Restablecer una contraseña olvidada", "Olvidé mi contraseña"),
    "pt": ("Redefinir uma senha esquecida", "Esqueci a minha senha"),
    "ar": ("إعادة تعيين كلمة مرور منسية", "نسيت كلمة المرور"),
}
BODIES = {
    "en": "Open the login page and tap *Forgot password?*, then follow the link we send.",
    "fr": "Ouvrez la page de connexion et touchez *Mot de passe oublié ?*, puis suivez le lien.",
    "es": "Abra la página de inicio de sesión y toque *¿Olvidó su contraseña?*, y siga el enlace.",
    "pt": "Abra a página de entrada e toque em *Esqueceu a senha?*, depois siga a ligação.",
    "ar": "افتح صفحة تسجيل الدخول واضغط على *نسيت كلمة المرور؟* ثم اتبع الرابط.",
}
TAGS = {
    "en": "[password, forgot, reset, login]",
    "fr": "[mot de passe, oublié, réinitialiser]",
    "es": "[contraseña, olvidé, restablecer]",
    "pt": "[senha, esqueci, redefinir]",
    "ar": "[كلمة المرور, نسيت, إعادة تعيين]",
}


def write_translated_kb(folder: Path) -> Path:
    """One Markdown file per version of the article in `folder`; returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for language, (title, _) in VERSIONS.items():
        translated = language != "en"
        name = f"forgot-password-{language}" if translated else "forgot-password"
        header = [f"id: {name}", f"title: {title}", f"language: {language}"]
        header += [f"tags: {TAGS[language]}", f"url: https://help.example.org/{name}"]
        header += ["translation_of: forgot-password"] if translated else []
        text = "---\n" + "\n".join(header) + "\n---\n" + BODIES[language] + "\n"
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder
