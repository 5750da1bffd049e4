"""The first text of the pages a French site collecting doctors' data must carry (DOMAIN.md).

A fresh site gets these pages, which editors then keep up to date in Wagtail: the publisher's details
below are the demo association's (invented) and are the first thing a real deployment edits. The
texts say what this software does (what it collects, keeps, shows and for how long), so they hold
for any deployment that does not change it.
"""

LEGAL_VERSION = "2026-12"

LEGAL_NOTICE = """
<h2>Éditeur du site</h2>
<p>Association Observatoire des logiciels médicaux (association loi 1901, démonstration), 12 rue de l'Exemple,
75000 Paris. Contact : contact@observatoire.invalid.</p>
<p>Directrice de la publication : la présidente de l'association.</p>
<h2>Hébergeur</h2>
<p>L'hébergeur du site, son adresse et son téléphone sont indiqués ici par l'association (article 6 de la loi
n° 2004-575 du 21 juin 2004 pour la confiance dans l'économie numérique). Les données sont hébergées dans
l'Union européenne.</p>
<h2>Indépendance</h2>
<p>Aucun éditeur de logiciel ne finance l'association ni ne paie pour être évalué. Les avis sont ceux de
médecins vérifiés ; leur contrôle est décrit en pied de chaque page (article L111-7-2 du code de la
consommation et décret n° 2017-1436).</p>
"""

PRIVACY = """
<h2>Responsable du traitement</h2>
<p>L'association éditrice du site (voir les mentions légales). Délégué à la protection des données :
dpo@observatoire.invalid.</p>
<h2>Ce que nous collectons et pourquoi</h2>
<ul>
<li><strong>Vérifier que vous êtes médecin</strong> : adresse électronique, nom, prénom, numéro RPPS,
spécialité, mode d'exercice, région. Base légale : l'intérêt légitime de publier des avis de médecins
vérifiés.</li>
<li><strong>Recueillir vos évaluations</strong> : vos notes par facette, votre recommandation, vos
commentaires et les liens d'intérêts que vous déclarez. Base légale : votre consentement, donné en
soumettant chaque évaluation.</li>
<li><strong>Produire les statistiques publiées</strong> : les notes sont agrégées ; aucun résultat portant sur
moins de 5 médecins n'est publié ni exporté, et votre identité n'est jamais publique.</li>
</ul>
<h2>Destinataires</h2>
<p>Les modérateurs et analystes de l'association. Les éditeurs évalués ne reçoivent que des statistiques
agrégées et les commentaires publiés, sans nom. Aucune donnée n'est transférée hors de l'Union européenne.</p>
<h2>Durées de conservation</h2>
<p>Votre compte et vos évaluations sont conservés tant que votre compte existe. Les évaluations de plus de
trois ans ne comptent plus dans les notes. À la suppression de votre compte, votre identité est effacée et
vos évaluations sont détachées de vous.</p>
<h2>Vos droits</h2>
<p>Vous pouvez à tout moment télécharger vos données (page « Mes données » de votre compte), les faire
rectifier, les supprimer avec votre compte (page « Supprimer mon compte »), vous opposer à leur traitement
ou en demander la limitation en écrivant au délégué à la protection des données. Vous pouvez adresser une
réclamation à la CNIL (www.cnil.fr).</p>
"""

COOKIES = """
<p>Ce site ne dépose que les cookies nécessaires à son fonctionnement ; c'est pourquoi il ne vous demande pas
votre consentement :</p>
<ul>
<li><strong>sessionid</strong> : garder votre session ouverte quand vous êtes connecté (jusqu'à la
déconnexion ou deux semaines) ;</li>
<li><strong>csrftoken</strong> : protéger les formulaires contre les envois frauduleux (un an) ;</li>
<li><strong>django_language</strong> : retenir la langue choisie, s'il y a lieu.</li>
</ul>
<p>Aucun cookie de mesure d'audience, de publicité ou de réseau social n'est utilisé, et aucune ressource
n'est chargée depuis un autre site.</p>
"""

TERMS = """
<h2>Objet</h2>
<p>Le site publie des notes de logiciels de santé établies à partir des évaluations de médecins vérifiés et
des tests des experts de l'association, avec leur marge d'incertitude et la méthode qui les calcule.</p>
<h2>Comptes</h2>
<p>Seuls les médecins dont le numéro RPPS est vérifié évaluent des outils. Un compte est personnel ; vous
vous engagez à respecter la charte de l'évaluateur.</p>
<h2>Modération</h2>
<p>Chaque commentaire est lu par un modérateur avant publication. Un commentaire refusé l'est pour un motif
qui vous est indiqué (données de patient, propos injurieux, hors sujet, conflit d'intérêts). Tout lecteur
peut signaler un commentaire publié ; l'éditeur d'un outil peut publier une réponse, elle aussi modérée.</p>
<h2>Responsabilité</h2>
<p>Les notes décrivent l'avis des médecins qui ont répondu et leur incertitude ; elles ne garantissent pas
la qualité d'un outil. Les textes des experts engagent l'association.</p>
"""

CHARTER = """
<p>En évaluant un outil sur ce site, je m'engage à :</p>
<ol>
<li>n'évaluer que des outils que j'utilise ou que j'ai utilisés dans mon exercice au cours des douze derniers
mois ;</li>
<li>déclarer mes liens d'intérêts avec les éditeurs (emploi, conseil, actionnariat, rémunération) et ne pas
évaluer les outils d'un éditeur avec lequel j'ai un tel lien ;</li>
<li>n'écrire dans mes commentaires aucune donnée permettant d'identifier un patient, un confrère ou un
salarié ;</li>
<li>rester factuel et courtois, et ne pas recevoir de contrepartie pour une évaluation ;</li>
<li>n'avoir qu'un compte, à mon nom.</li>
</ol>
<p>Les évaluations qui ne respectent pas la charte sont écartées des notes ; les signaux de fraude sont
examinés par un modérateur, qui vous en informe.</p>
"""

ACCESSIBILITY = """
<h2>État de conformité</h2>
<p>Ce site est <strong>partiellement conforme</strong> au référentiel général d'amélioration de
l'accessibilité (RGAA 4.1) : aucun audit complet par un tiers n'a encore été réalisé.</p>
<h2>Contrôles réalisés</h2>
<p>À chaque version, les tests automatiques du site vérifient toutes les pages publiques et les pages du
médecin connecté, en français et en anglais, sur un écran de 1 280 pixels et un téléphone de 390 pixels,
avec axe-core (aucune erreur acceptée) et le validateur HTML du W3C (Nu Html Checker). Ils vérifient aussi
la navigation au clavier, le contraste de l'indicateur de focus et que chaque graphique est accompagné d'un
tableau des mêmes données.</p>
<h2>Contenus non accessibles connus</h2>
<ul>
<li>Les graphiques eux-mêmes ne sont pas lisibles par un lecteur d'écran ; le tableau placé sous chacun
donne les mêmes chiffres.</li>
<li>L'interface d'administration (réservée à l'équipe) n'a pas été contrôlée.</li>
</ul>
<h2>Retour d'information et contact</h2>
<p>Si vous n'arrivez pas à accéder à un contenu, écrivez à accessibilite@observatoire.invalid : nous vous
le fournirons sous une autre forme. Si notre réponse ne vous satisfait pas, vous pouvez saisir
le Défenseur des droits (www.defenseurdesdroits.fr).</p>
"""

CONTACT = """
<p>Une question sur une note, la méthode, votre compte ou vos données ? Écrivez-nous avec le formulaire
ci-dessous : aucun compte n'est nécessaire, et l'association vous répond sous cinq jours ouvrés.</p>
<p>Pour exercer vos droits sur vos données, vous pouvez aussi écrire au délégué à la protection des
données (dpo@observatoire.invalid).</p>
"""

# kind: (slug, title, body), in the footer's order; cms/legal_texts_en.py has their English translations
LEGAL_PAGES = {
    "legal_notice": ("mentions-legales", "Mentions légales", LEGAL_NOTICE),
    "privacy": ("confidentialite", "Politique de confidentialité", PRIVACY),
    "cookies": ("cookies", "Cookies", COOKIES),
    "terms": ("conditions-d-utilisation", "Conditions d'utilisation", TERMS),
    "charter": ("charte-de-l-evaluateur", "Charte de l'évaluateur", CHARTER),
    "accessibility": ("accessibilite", "Déclaration d'accessibilité", ACCESSIBILITY),
    "contact": ("contact", "Contact", CONTACT),
}
