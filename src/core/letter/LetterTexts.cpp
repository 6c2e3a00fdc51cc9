// SPDX-License-Identifier: GPL-3.0-or-later
#include "LetterTexts.h"

namespace studyshare
{
  namespace
  {
    // The same languages as the recipients' pages and the e-mails.
    const LetterTexts kEnglish = {
      "Your medical images online",
      "The images of your examination can be seen online, on a computer or a phone. This letter tells you how.",
      "Examination",
      "Imaging study",
      "How to open them",
      "Scan this code with your phone's camera.",
      "Or type this address in a web browser:",
      "When asked, type this access code:",
      "You can also go to {address} and type the access code there.",
      "You will also be asked for the patient's date of birth.",
      "You will also be asked for the password you were given separately.",
      "A code will also be sent to your e-mail address.",
      "The link works until {date}.",
      "The link has no end date.",
      "Questions? Contact:",
      "Keep this letter safe: anyone who has it can see these images."};

    const LetterTexts kFrench = {
      "Vos images médicales en ligne",
      "Les images de votre examen peuvent être consultées en ligne, sur un ordinateur ou un téléphone. Cette "
      "lettre explique comment.",
      "Examen",
      "Examen d'imagerie",
      "Comment les ouvrir",
      "Scannez ce code avec l'appareil photo de votre téléphone.",
      "Ou tapez cette adresse dans un navigateur web :",
      "Lorsqu'il vous est demandé, tapez ce code d'accès :",
      "Vous pouvez aussi aller sur {address} et y taper le code d'accès.",
      "La date de naissance du patient vous sera aussi demandée.",
      "Le mot de passe qui vous a été remis séparément vous sera aussi demandé.",
      "Un code vous sera aussi envoyé par e-mail.",
      "Le lien fonctionne jusqu'au {date}.",
      "Le lien n'a pas de date de fin.",
      "Des questions ? Contactez :",
      "Gardez cette lettre en lieu sûr : toute personne qui l'a peut voir ces images."};

    const LetterTexts kGerman = {
      "Ihre medizinischen Bilder online",
      "Die Bilder Ihrer Untersuchung können online angesehen werden, am Computer oder am Telefon. Dieser Brief "
      "erklärt, wie.",
      "Untersuchung",
      "Bildgebende Untersuchung",
      "So öffnen Sie sie",
      "Scannen Sie diesen Code mit der Kamera Ihres Telefons.",
      "Oder geben Sie diese Adresse in einem Webbrowser ein:",
      "Wenn Sie danach gefragt werden, geben Sie diesen Zugangscode ein:",
      "Sie können auch {address} aufrufen und dort den Zugangscode eingeben.",
      "Sie werden auch nach dem Geburtsdatum des Patienten gefragt.",
      "Sie werden auch nach dem Passwort gefragt, das Sie getrennt erhalten haben.",
      "Außerdem wird ein Code an Ihre E-Mail-Adresse gesendet.",
      "Der Link funktioniert bis {date}.",
      "Der Link hat kein Ablaufdatum.",
      "Fragen? Kontakt:",
      "Bewahren Sie diesen Brief sicher auf: Wer ihn hat, kann diese Bilder sehen."};

    const LetterTexts kSpanish = {
      "Sus imágenes médicas en línea",
      "Las imágenes de su examen pueden verse en línea, en un ordenador o un teléfono. Esta carta le explica "
      "cómo.",
      "Examen",
      "Estudio de imagen",
      "Cómo abrirlas",
      "Escanee este código con la cámara de su teléfono.",
      "O escriba esta dirección en un navegador web:",
      "Cuando se le pida, escriba este código de acceso:",
      "También puede ir a {address} y escribir allí el código de acceso.",
      "También se le pedirá la fecha de nacimiento del paciente.",
      "También se le pedirá la contraseña que recibió por separado.",
      "También se enviará un código a su dirección de correo electrónico.",
      "El enlace funciona hasta el {date}.",
      "El enlace no tiene fecha de fin.",
      "¿Preguntas? Contacte con:",
      "Guarde esta carta en un lugar seguro: quien la tenga puede ver estas imágenes."};
  }

  const LetterTexts& LetterTextsFor(const std::string& language)
  {
    if (language == "fr")
    {
      return kFrench;
    }
    if (language == "de")
    {
      return kGerman;
    }
    if (language == "es")
    {
      return kSpanish;
    }
    return kEnglish;
  }
}
