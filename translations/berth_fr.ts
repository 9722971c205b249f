<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>Berth</name>
    <message>
        <source>%1B</source>
        <comment>count in billions</comment>
        <translation>%1 Md</translation>
    </message>
    <message>
        <source>%1M</source>
        <comment>count in millions</comment>
        <translation>%1 M</translation>
    </message>
    <message>
        <source>%1K</source>
        <comment>count in thousands</comment>
        <translation>%1 k</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>il y a %n minute</numerusform>
            <numerusform>il y a %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>il y a %n heure</numerusform>
            <numerusform>il y a %n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>il y a %n jour</numerusform>
            <numerusform>il y a %n jours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>il y a %n mois</numerusform>
            <numerusform>il y a %n mois</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>il y a %n an</numerusform>
            <numerusform>il y a %n ans</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is not a valid docker credential helper name.</source>
        <translation>« %1 » n&apos;est pas un nom d&apos;assistant d&apos;identification docker valide.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” is not installed (it is not in PATH). Install it, or change “credsStore” or “credHelpers” in docker&apos;s config.json.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;est pas installé (il est absent du PATH). Installez-le, ou modifiez « credsStore » ou « credHelpers » dans le config.json de docker.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” crashed.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a planté.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” failed (exit code %2).</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a échoué (code de sortie %2).</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” failed: %2</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a échoué : %2</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” could not be started: %2</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;a pas pu être lancé : %2</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” did not answer within %2 seconds. It may be waiting for a password prompt that cannot be shown.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;a pas répondu en %2 secondes. Il attend peut-être une saisie de mot de passe qui ne peut pas s&apos;afficher.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” did not answer with a login for %2.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;a renvoyé aucun identifiant pour %2.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” answered “list” with something that is not a list of logins.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a répondu à « list » par autre chose qu&apos;une liste d&apos;identifiants.</translation>
    </message>
    <message>
        <source>“%1” is not a registry name.</source>
        <translation>« %1 » n&apos;est pas un nom de registre.</translation>
    </message>
    <message>
        <source>A password or access token is needed to log in to %1.</source>
        <translation>Un mot de passe ou un jeton d&apos;accès est nécessaire pour se connecter à %1.</translation>
    </message>
    <message>
        <source>A user name is needed to log in to %1.</source>
        <translation>Un nom d&apos;utilisateur est nécessaire pour se connecter à %1.</translation>
    </message>
    <message>
        <source>Berth&apos;s saved login for %1 could not be read from the keychain: the keychain is locked or the entry was removed. Unlock the keychain, or log in again.</source>
        <translation>Les identifiants enregistrés par Berth pour %1 n&apos;ont pas pu être lus dans le trousseau : le trousseau est verrouillé ou l&apos;entrée a été supprimée. Déverrouillez le trousseau, ou reconnectez-vous.</translation>
    </message>
    <message>
        <source>On a shared computer Berth keeps logins in memory only, so it does not log the docker CLI in: that login would stay on this computer after Berth quits.</source>
        <translation>Sur un ordinateur partagé, Berth ne garde les identifiants qu&apos;en mémoire et ne connecte donc pas la CLI docker : cette connexion resterait sur cet ordinateur après la fermeture de Berth.</translation>
    </message>
    <message>
        <source>Docker is configured to keep logins with “%1”, which is not installed, so the docker CLI cannot be logged in. Install it, or change “credsStore” or “credHelpers” in %2.</source>
        <translation>Docker est configuré pour conserver les identifiants avec « %1 », qui n&apos;est pas installé : la CLI docker ne peut donc pas être connectée. Installez-le, ou modifiez « credsStore » ou « credHelpers » dans %2.</translation>
    </message>
    <message>
        <source>No docker credential helper is configured in %1, so logging the docker CLI in would write the password into that file as plain text (base64). Configure “credsStore” (for example “pass” or “secretservice”), or allow the plain-text login explicitly.</source>
        <translation>Aucun assistant d&apos;identification docker n&apos;est configuré dans %1 : connecter la CLI docker écrirait donc le mot de passe en clair (base64) dans ce fichier. Configurez « credsStore » (par exemple « pass » ou « secretservice »), ou autorisez explicitement l&apos;enregistrement des identifiants en clair.</translation>
    </message>
    <message>
        <source>Berth saved the login for %1, but the docker CLI could not be logged in: %2</source>
        <translation>Berth a enregistré les identifiants pour %1, mais la CLI docker n&apos;a pas pu être connectée : %2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (at byte %2: %3). Fix or remove the file.</source>
        <translation>%1 n&apos;est pas un JSON valide (à l&apos;octet %2 : %3). Corrigez ou supprimez le fichier.</translation>
    </message>
    <message>
        <source>%1 is not a valid configuration file: it must hold a JSON object.</source>
        <translation>%1 n&apos;est pas un fichier de configuration valide : il doit contenir un objet JSON.</translation>
    </message>
    <message>
        <source>%1 is not a valid configuration file: %2</source>
        <translation>%1 n&apos;est pas un fichier de configuration valide : %2</translation>
    </message>
    <message>
        <source>“auths” must be an object.</source>
        <translation>« auths » doit être un objet.</translation>
    </message>
    <message>
        <source>the “auths” entry for %1 must be an object.</source>
        <translation>l&apos;entrée « auths » pour %1 doit être un objet.</translation>
    </message>
    <message>
        <source>“credsStore” must be a string.</source>
        <translation>« credsStore » doit être une chaîne de caractères.</translation>
    </message>
    <message>
        <source>“credHelpers” must be an object.</source>
        <translation>« credHelpers » doit être un objet.</translation>
    </message>
    <message>
        <source>the “credHelpers” entry for %1 must be a string.</source>
        <translation>l&apos;entrée « credHelpers » pour %1 doit être une chaîne de caractères.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>Cannot restrict the permissions of %1.</source>
        <translation>Impossible de restreindre les permissions de %1.</translation>
    </message>
    <message>
        <source>The login for %1 in %2 cannot be read: its “auth” field is not base64 of user:password.</source>
        <translation>Les identifiants pour %1 dans %2 sont illisibles : leur champ « auth » n&apos;est pas user:password encodé en base64.</translation>
    </message>
    <message>
        <source>The system keychain is not available (no Secret Service running). Start a keychain such as GNOME Keyring or KWallet, or log in for this session only.</source>
        <translation>Le trousseau du système n&apos;est pas disponible (aucun service Secret Service n&apos;est lancé). Démarrez un trousseau comme GNOME Keyring ou KWallet, ou connectez-vous pour cette session uniquement.</translation>
    </message>
    <message>
        <source>The keychain is locked. Unlock it and try again, or log in for this session only.</source>
        <translation>Le trousseau est verrouillé. Déverrouillez-le et réessayez, ou connectez-vous pour cette session uniquement.</translation>
    </message>
    <message>
        <source>Access to the keychain was refused. Allow Berth to use it and try again, or log in for this session only.</source>
        <translation>L&apos;accès au trousseau a été refusé. Autorisez Berth à l&apos;utiliser et réessayez, ou connectez-vous pour cette session uniquement.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>erreur inconnue</translation>
    </message>
    <message>
        <source>The keychain could not read the login for %1: %2</source>
        <translation>Le trousseau n&apos;a pas pu lire les identifiants pour %1 : %2</translation>
    </message>
    <message>
        <source>The keychain could not save the login for %1: %2</source>
        <translation>Le trousseau n&apos;a pas pu enregistrer les identifiants pour %1 : %2</translation>
    </message>
    <message>
        <source>The keychain could not remove the login for %1: %2</source>
        <translation>Le trousseau n&apos;a pas pu supprimer les identifiants pour %1 : %2</translation>
    </message>
    <message>
        <source>The keychain entry for %1 is not a login Berth can read. Log in again to replace it.</source>
        <translation>L&apos;entrée du trousseau pour %1 ne contient pas d&apos;identifiants lisibles par Berth. Reconnectez-vous pour la remplacer.</translation>
    </message>
    <message>
        <source>invalid registry name %1: missing &apos;]&apos; after the IPv6 address</source>
        <translation>nom de registre %1 non valide : &apos;]&apos; manquant après l&apos;adresse IPv6</translation>
    </message>
    <message>
        <source>invalid registry name %1: unexpected %2 after the IPv6 address</source>
        <translation>nom de registre %1 non valide : %2 inattendu après l&apos;adresse IPv6</translation>
    </message>
    <message>
        <source>invalid registry name %1: %2 is not an IPv6 address</source>
        <translation>nom de registre %1 non valide : %2 n&apos;est pas une adresse IPv6</translation>
    </message>
    <message>
        <source>invalid registry name %1: the host name is empty</source>
        <translation>nom de registre %1 non valide : le nom d&apos;hôte est vide</translation>
    </message>
    <message>
        <source>invalid registry name %1: empty part between dots</source>
        <translation>nom de registre %1 non valide : partie vide entre deux points</translation>
    </message>
    <message>
        <source>invalid registry name %1: %2 is not a valid host name part (letters, digits and inner &apos;-&apos; only)</source>
        <translation>nom de registre %1 non valide : %2 n&apos;est pas une partie de nom d&apos;hôte valide (lettres, chiffres et &apos;-&apos; à l&apos;intérieur uniquement)</translation>
    </message>
    <message>
        <source>invalid registry name %1: the port must be a number from 1 to 65535</source>
        <translation>nom de registre %1 non valide : le port doit être un nombre de 1 à 65535</translation>
    </message>
    <message>
        <source>invalid reference format: the repository name is empty</source>
        <translation>format de référence non valide : le nom du dépôt est vide</translation>
    </message>
    <message>
        <source>invalid reference format: empty path component in %1</source>
        <translation>format de référence non valide : composant de chemin vide dans %1</translation>
    </message>
    <message>
        <source>invalid reference format: %1 is not a valid repository name component: use lowercase letters and digits, separated by &apos;.&apos;, &apos;_&apos;, &apos;__&apos; or dashes</source>
        <translation>format de référence non valide : %1 n&apos;est pas un composant de nom de dépôt valide : utilisez des lettres minuscules et des chiffres, séparés par &apos;.&apos;, &apos;_&apos;, &apos;__&apos; ou des tirets</translation>
    </message>
    <message>
        <source>repository name must be lowercase: %1</source>
        <translation>le nom du dépôt doit être en minuscules : %1</translation>
    </message>
    <message>
        <source>invalid reference format: the image reference is empty</source>
        <translation>format de référence non valide : la référence d&apos;image est vide</translation>
    </message>
    <message>
        <source>invalid reference format: the image reference is %1 characters long</source>
        <translation>format de référence non valide : la référence d&apos;image est trop longue (%1 caractères)</translation>
    </message>
    <message>
        <source>invalid repository name %1: a 64-character hexadecimal string is an image ID, not a repository name</source>
        <translation>nom de dépôt %1 non valide : une chaîne hexadécimale de 64 caractères est un ID d&apos;image, pas un nom de dépôt</translation>
    </message>
    <message>
        <source>invalid reference format: nothing after &apos;@&apos; in %1 (a digest such as sha256:… was expected)</source>
        <translation>format de référence non valide : rien après &apos;@&apos; dans %1 (une empreinte comme sha256:… était attendue)</translation>
    </message>
    <message>
        <source>invalid reference format: nothing after &apos;:&apos; in %1 (a tag was expected)</source>
        <translation>format de référence non valide : rien après &apos;:&apos; dans %1 (un tag était attendu)</translation>
    </message>
    <message>
        <source>invalid reference format: %1 has no repository name</source>
        <translation>format de référence non valide : %1 n&apos;a pas de nom de dépôt</translation>
    </message>
    <message>
        <source>repository name is longer than 255 characters: %1 has %2</source>
        <translation>le nom du dépôt dépasse 255 caractères : %1 en compte %2</translation>
    </message>
    <message>
        <source>invalid digest %1: expected &apos;sha256:&apos; followed by 64 hexadecimal characters</source>
        <translation>empreinte %1 non valide : &apos;sha256:&apos; suivi de 64 caractères hexadécimaux est attendu</translation>
    </message>
    <message>
        <source>unsupported digest algorithm %1 in %2: only sha256 and sha512 are supported</source>
        <translation>algorithme d&apos;empreinte %1 non pris en charge dans %2 : seuls sha256 et sha512 sont pris en charge</translation>
    </message>
    <message>
        <source>invalid digest %1: expected %2 hexadecimal characters after &apos;%3:&apos;, found %4</source>
        <translation>empreinte %1 non valide : %2 caractères hexadécimaux attendus après &apos;%3:&apos;, %4 trouvés</translation>
    </message>
    <message>
        <source>invalid digest %1: expected %2 hexadecimal characters after &apos;%3:&apos; (0-9 and lowercase a-f only)</source>
        <translation>empreinte %1 non valide : %2 caractères hexadécimaux attendus après &apos;%3:&apos; (0-9 et a-f minuscules uniquement)</translation>
    </message>
    <message>
        <source>%1 is not a repository name: it names a tag or a digest</source>
        <translation>%1 n&apos;est pas un nom de dépôt : il désigne un tag ou une empreinte</translation>
    </message>
    <message>
        <source>invalid tag: a tag cannot be empty</source>
        <translation>tag non valide : un tag ne peut pas être vide</translation>
    </message>
    <message>
        <source>invalid tag %1: a tag is at most 128 characters long, this one has %2</source>
        <translation>tag %1 non valide : un tag fait au plus 128 caractères, celui-ci en compte %2</translation>
    </message>
    <message>
        <source>invalid tag %1: a tag must start with a letter, a digit or &apos;_&apos;</source>
        <translation>tag %1 non valide : un tag doit commencer par une lettre, un chiffre ou &apos;_&apos;</translation>
    </message>
    <message>
        <source>invalid tag %1: %2 is not allowed (letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos; only)</source>
        <translation>tag %1 non valide : %2 n&apos;est pas autorisé (lettres, chiffres, &apos;_&apos;, &apos;.&apos; et &apos;-&apos; uniquement)</translation>
    </message>
    <message>
        <source>more than %1 challenges</source>
        <translation>plus de %1 challenges d&apos;authentification</translation>
    </message>
    <message>
        <source>the header is empty</source>
        <translation>l&apos;en-tête est vide</translation>
    </message>
    <message>
        <source>an authentication scheme</source>
        <translation>un schéma d&apos;authentification</translation>
    </message>
    <message>
        <source>a space after the scheme</source>
        <translation>un espace après le schéma</translation>
    </message>
    <message>
        <source>more than %1 parameters in one challenge</source>
        <translation>plus de %1 paramètres dans un même challenge</translation>
    </message>
    <message>
        <source>a parameter name</source>
        <translation>un nom de paramètre</translation>
    </message>
    <message>
        <source>&apos;=&apos; after %1</source>
        <translation>&apos;=&apos; après %1</translation>
    </message>
    <message>
        <source>&apos;,&apos; or the end of the header</source>
        <translation>&apos;,&apos; ou la fin de l&apos;en-tête</translation>
    </message>
    <message>
        <source>a parameter value</source>
        <translation>une valeur de paramètre</translation>
    </message>
    <message>
        <source>invalid escaped character at offset %1</source>
        <translation>caractère échappé non valide à la position %1</translation>
    </message>
    <message>
        <source>control character in a quoted string at offset %1</source>
        <translation>caractère de contrôle dans une chaîne entre guillemets à la position %1</translation>
    </message>
    <message>
        <source>unterminated quoted string</source>
        <translation>chaîne entre guillemets non terminée</translation>
    </message>
    <message>
        <source>expected %1 at the end</source>
        <translation>il manque %1 à la fin</translation>
    </message>
    <message>
        <source>expected %1 at offset %2, found &apos;%3&apos;</source>
        <translation>à la position %2 : &apos;%3&apos; trouvé au lieu de %1</translation>
    </message>
    <message>
        <source>malformed WWW-Authenticate header from the registry: %1</source>
        <translation>en-tête WWW-Authenticate du registre mal formé : %1</translation>
    </message>
    <message>
        <source>the registry&apos;s WWW-Authenticate header is %1 bytes long, more than the 64 KiB Berth accepts</source>
        <translation>l&apos;en-tête WWW-Authenticate du registre fait %1 octets, plus que les 64 Kio acceptés par Berth</translation>
    </message>
    <message>
        <source>Could not write the download: %1</source>
        <translation>Impossible d&apos;écrire le téléchargement : %1</translation>
    </message>
    <message>
        <source>The server restarted the download and the output cannot be rewound.</source>
        <translation>Le serveur a recommencé le téléchargement depuis le début et il est impossible de revenir au début de la sortie.</translation>
    </message>
    <message>
        <source>Could not rewind the download: %1</source>
        <translation>Impossible de revenir au début du téléchargement : %1</translation>
    </message>
    <message>
        <source>Could not truncate the download: %1</source>
        <translation>Impossible de tronquer le téléchargement : %1</translation>
    </message>
    <message>
        <source>The blob is larger than the %1 bytes allowed for it.</source>
        <translation>Le blob dépasse les %1 octets autorisés.</translation>
    </message>
    <message>
        <source>Docker Hub sent an invalid answer for %1: %2</source>
        <translation>Docker Hub a envoyé une réponse non valide pour %1 : %2</translation>
    </message>
    <message>
        <source>JSON nested deeper than %1 levels</source>
        <translation>JSON imbriqué sur plus de %1 niveaux</translation>
    </message>
    <message>
        <source>%1 at offset %2</source>
        <translation>%1 à la position %2</translation>
    </message>
    <message>
        <source>expected a JSON object</source>
        <translation>un objet JSON était attendu</translation>
    </message>
    <message>
        <source>no &quot;results&quot; list</source>
        <translation>aucune liste &quot;results&quot;</translation>
    </message>
    <message>
        <source>%1 is not an image manifest (%2).</source>
        <translation>%1 n&apos;est pas un manifeste d&apos;image (%2).</translation>
    </message>
    <message>
        <source>%1 has no image for %2; it offers %3.</source>
        <translation>%1 n&apos;a pas d&apos;image pour %2 ; plateformes disponibles : %3.</translation>
    </message>
    <message>
        <source>manifest</source>
        <translation>le manifeste</translation>
    </message>
    <message>
        <source>image index</source>
        <translation>l&apos;index d&apos;image</translation>
    </message>
    <message>
        <source>image configuration</source>
        <translation>la configuration d&apos;image</translation>
    </message>
    <message>
        <source>malformed %1: %2</source>
        <translation>erreur de format dans %1 : %2</translation>
    </message>
    <message>
        <source>the %1 is %2 bytes, more than the %3 MiB Berth accepts</source>
        <translation>%1 fait %2 octets, plus que les %3 Mio acceptés par Berth</translation>
    </message>
    <message>
        <source>the %1 is empty</source>
        <translation>%1 est vide</translation>
    </message>
    <message>
        <source>the %1 nests JSON objects and arrays more than %2 levels deep</source>
        <translation>%1 imbrique des objets et des tableaux JSON sur plus de %2 niveaux</translation>
    </message>
    <message>
        <source>the %1 is not valid JSON: %2 at offset %3</source>
        <translation>%1 n&apos;est pas un JSON valide : %2 à la position %3</translation>
    </message>
    <message>
        <source>the %1 is not a JSON object</source>
        <translation>%1 n&apos;est pas un objet JSON</translation>
    </message>
    <message>
        <source>%1 must be a string</source>
        <translation>%1 doit être une chaîne de caractères</translation>
    </message>
    <message>
        <source>%1 must be an array of strings</source>
        <translation>%1 doit être un tableau de chaînes de caractères</translation>
    </message>
    <message>
        <source>%1 must be an object of strings</source>
        <translation>%1 doit être un objet de chaînes de caractères</translation>
    </message>
    <message>
        <source>%1 must be an object</source>
        <translation>%1 doit être un objet</translation>
    </message>
    <message>
        <source>%1 must be a non-negative integer</source>
        <translation>%1 doit être un entier positif ou nul</translation>
    </message>
    <message>
        <source>%1 is not a valid digest: %2</source>
        <translation>%1 n&apos;est pas une empreinte valide : %2</translation>
    </message>
    <message>
        <source>%1 is missing</source>
        <translation>%1 est absent</translation>
    </message>
    <message>
        <source>this image uses a Docker schema 1 manifest, which is deprecated and unsupported; it must be pushed again with a current tool</source>
        <translation>cette image utilise un manifeste Docker schéma 1, obsolète et non pris en charge ; elle doit être republiée (push) avec un outil récent</translation>
    </message>
    <message>
        <source>unsupported %1: schemaVersion %2, only 2 is supported</source>
        <translation>schemaVersion %2 non prise en charge dans %1 : seule la version 2 est prise en charge</translation>
    </message>
    <message>
        <source>invalid platform %1: expected os/architecture[/variant], e.g. linux/amd64</source>
        <translation>plateforme %1 non valide : os/architecture[/variante] est attendu, par exemple linux/amd64</translation>
    </message>
    <message>
        <source>operating system</source>
        <translation>le système d&apos;exploitation</translation>
    </message>
    <message>
        <source>architecture</source>
        <translation>l&apos;architecture</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>la variante</translation>
    </message>
    <message>
        <source>invalid platform %1: the %2 is empty</source>
        <translation>plateforme %1 non valide : %2 est vide</translation>
    </message>
    <message>
        <source>invalid platform %1: %2 is not a valid %3</source>
        <translation>plateforme %1 non valide : %3 %2 n&apos;est pas valide</translation>
    </message>
    <message>
        <source>expected an image manifest but got an image index (%1)</source>
        <translation>un manifeste d&apos;image était attendu, mais c&apos;est un index d&apos;image (%1)</translation>
    </message>
    <message>
        <source>no media type, and neither &apos;config&apos; nor &apos;manifests&apos; to tell it by</source>
        <translation>aucun type de média, ni &apos;config&apos; ni &apos;manifests&apos; pour le déterminer</translation>
    </message>
    <message>
        <source>unsupported manifest media type %1</source>
        <translation>type de média de manifeste non pris en charge : %1</translation>
    </message>
    <message>
        <source>%1 must be an array</source>
        <translation>%1 doit être un tableau</translation>
    </message>
    <message>
        <source>expected an image index but got an image manifest (%1)</source>
        <translation>un index d&apos;image était attendu, mais c&apos;est un manifeste d&apos;image (%1)</translation>
    </message>
    <message>
        <source>unsupported image index media type %1</source>
        <translation>type de média d&apos;index d&apos;image non pris en charge : %1</translation>
    </message>
    <message>
        <source>%1 must be true or false</source>
        <translation>%1 doit valoir true ou false</translation>
    </message>
    <message>
        <source>manifest %1 of %2</source>
        <translation>le manifeste %1 de %2</translation>
    </message>
    <message>
        <source>tag &apos;%1&apos; of %2</source>
        <translation>le tag &apos;%1&apos; de %2</translation>
    </message>
    <message>
        <source>blob %1 of %2</source>
        <translation>le blob %1 de %2</translation>
    </message>
    <message>
        <source>The content of %1 does not match its digest: expected %2, got %3. Nothing was kept.</source>
        <translation>Le contenu reçu pour %1 ne correspond pas à son empreinte : %2 attendue, %3 obtenue. Rien n&apos;a été conservé.</translation>
    </message>
    <message>
        <source>%1 requires authentication for %2; log in to %1 first.</source>
        <translation>%1 exige une authentification pour %2 ; connectez-vous d&apos;abord à %1.</translation>
    </message>
    <message>
        <source>Access to %1 was denied by %2.</source>
        <translation>Accès refusé par %2 : %1.</translation>
    </message>
    <message>
        <source>%1 was not found on %2.</source>
        <translation>Introuvable sur %2 : %1.</translation>
    </message>
    <message>
        <source>%1 is rate limiting requests; try again later.</source>
        <translation>%1 limite le nombre de requêtes ; réessayez plus tard.</translation>
    </message>
    <message>
        <source>%1 failed with a server error (HTTP %2) while reading %3.</source>
        <translation>%1 a rencontré une erreur serveur (HTTP %2) en lisant %3.</translation>
    </message>
    <message>
        <source>%1 does not support this operation on %2 (HTTP %3).</source>
        <translation>%1 ne prend pas en charge cette opération sur %2 (HTTP %3).</translation>
    </message>
    <message>
        <source>%1 refused the request for %2 (HTTP %3).</source>
        <translation>%1 a refusé la requête portant sur %2 (HTTP %3).</translation>
    </message>
    <message>
        <source>The registry said: %1</source>
        <translation>Message du registre : %1</translation>
    </message>
    <message>
        <source>The TLS connection to %1 failed: %2. Berth never ignores certificate errors unless the registry is marked insecure in the settings.</source>
        <translation>La connexion TLS à %1 a échoué : %2. Berth n&apos;ignore jamais les erreurs de certificat, sauf si le registre est marqué comme non sécurisé dans les paramètres.</translation>
    </message>
    <message>
        <source>Could not connect to %1: the connection was refused.</source>
        <translation>Impossible de se connecter à %1 : la connexion a été refusée.</translation>
    </message>
    <message>
        <source>Could not find the host of %1.</source>
        <translation>Impossible de trouver l&apos;hôte %1.</translation>
    </message>
    <message>
        <source>The connection to %1 timed out.</source>
        <translation>La connexion à %1 a expiré.</translation>
    </message>
    <message>
        <source>%1 closed the connection before the answer was complete.</source>
        <translation>%1 a fermé la connexion avant la fin de la réponse.</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Erreur réseau lors de la communication avec %1 : %2</translation>
    </message>
    <message>
        <source>Search Docker Hub for images</source>
        <translation>Rechercher des images sur Docker Hub</translation>
    </message>
    <message>
        <source>List a repository&apos;s tags grouped by digest</source>
        <translation>Lister les tags d&apos;un dépôt, regroupés par empreinte</translation>
    </message>
    <message>
        <source>Show an image&apos;s manifest, config and history</source>
        <translation>Afficher le manifeste, la configuration et l&apos;historique d&apos;une image</translation>
    </message>
    <message>
        <source>Log in to a registry (secret kept in the keychain)</source>
        <translation>Se connecter à un registre (secret conservé dans le trousseau)</translation>
    </message>
    <message>
        <source>Log out of a registry</source>
        <translation>Se déconnecter d&apos;un registre</translation>
    </message>
    <message>
        <source>Image %1 has no platform.</source>
        <translation>L&apos;image %1 n&apos;a aucune plateforme.</translation>
    </message>
    <message>
        <source>The short image ID %1 matches several images; give more of it.</source>
        <translation>L&apos;ID d&apos;image court %1 correspond à plusieurs images ; donnez-en davantage de caractères.</translation>
    </message>
    <message>
        <source>No such image: %1</source>
        <translation>Image introuvable : %1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2 : %3</translation>
    </message>
    <message>
        <source>Could not write</source>
        <translation>Impossible d&apos;écrire</translation>
    </message>
    <message>
        <source>Could not read</source>
        <translation>Impossible de lire</translation>
    </message>
    <message>
        <source>Could not write to the image store: %1</source>
        <translation>Impossible d&apos;écrire dans le magasin d&apos;images : %1</translation>
    </message>
    <message>
        <source>Could not rewind a download in the image store: %1</source>
        <translation>Impossible de revenir au début d&apos;un téléchargement dans le magasin d&apos;images : %1</translation>
    </message>
    <message>
        <source>The image store %1 is locked by another program (%2).</source>
        <translation>Le magasin d&apos;images %1 est verrouillé par un autre programme (%2).</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>permission refusée</translation>
    </message>
    <message>
        <source>timed out waiting</source>
        <translation>délai d&apos;attente dépassé</translation>
    </message>
    <message>
        <source>Could not create the image store at %1.</source>
        <translation>Impossible de créer le magasin d&apos;images dans %1.</translation>
    </message>
    <message>
        <source>The image store has no blob %1.</source>
        <translation>Le magasin d&apos;images ne contient pas le blob %1.</translation>
    </message>
    <message>
        <source>Blob %1 in the image store is larger than expected.</source>
        <translation>Le blob %1 du magasin d&apos;images est plus gros que prévu.</translation>
    </message>
    <message>
        <source>Blob %1 in the image store is damaged; run fsck.</source>
        <translation>Le blob %1 du magasin d&apos;images est endommagé ; lancez fsck.</translation>
    </message>
    <message>
        <source>Could not create a file in the image store</source>
        <translation>Impossible de créer un fichier dans le magasin d&apos;images</translation>
    </message>
    <message>
        <source>Blob %1 has %2 bytes where %3 were expected.</source>
        <translation>Le blob %1 fait %2 octets au lieu des %3 attendus.</translation>
    </message>
    <message>
        <source>Could not store</source>
        <translation>Impossible d&apos;enregistrer</translation>
    </message>
    <message>
        <source>The image store&apos;s index %1 is damaged: %2.</source>
        <translation>L&apos;index %1 du magasin d&apos;images est endommagé : %2.</translation>
    </message>
    <message>
        <source>The file oci-layout is missing.</source>
        <translation>Le fichier oci-layout est absent.</translation>
    </message>
    <message>
        <source>Unexpected file %1 among the blobs.</source>
        <translation>Fichier inattendu parmi les blobs : %1.</translation>
    </message>
    <message>
        <source>Blob %1 is damaged: its content hashes to %2.</source>
        <translation>Le blob %1 est endommagé : son contenu a pour empreinte %2.</translation>
    </message>
    <message>
        <source>Image %1 needs blob %2, which is missing.</source>
        <translation>L&apos;image %1 a besoin du blob %2, qui est absent.</translation>
    </message>
    <message>
        <source>Image %1 uses the damaged blob %2.</source>
        <translation>L&apos;image %1 utilise le blob endommagé %2.</translation>
    </message>
    <message>
        <source>unknown backend &apos;%1&apos;: use auto, docker, podman or embedded</source>
        <translation>backend inconnu &apos;%1&apos; : utilisez auto, docker, podman ou embedded</translation>
    </message>
    <message>
        <source>List local images</source>
        <translation>Lister les images locales</translation>
    </message>
    <message>
        <source>Pull an image from a registry</source>
        <translation>Télécharger une image depuis un registre</translation>
    </message>
    <message>
        <source>Push a local image to a registry</source>
        <translation>Publier une image locale sur un registre</translation>
    </message>
    <message>
        <source>Give a local image another name</source>
        <translation>Donner un autre nom à une image locale</translation>
    </message>
    <message>
        <source>Remove local images</source>
        <translation>Supprimer des images locales</translation>
    </message>
    <message>
        <source>Remove unused local images</source>
        <translation>Supprimer les images locales inutilisées</translation>
    </message>
    <message>
        <source>Verify the embedded image store</source>
        <translation>Vérifier le magasin d&apos;images intégré</translation>
    </message>
</context>
<context>
    <name>Berth::Cli</name>
    <message>
        <source>Usage: berthctl COMMAND [OPTIONS]

Find, inspect and share container images.

Commands:
</source>
        <translation>Utilisation : berthctl COMMANDE [OPTIONS]

Trouver, inspecter et partager des images de conteneurs.

Commandes :
</translation>
    </message>
    <message>
        <source>
Run &apos;berthctl COMMAND --help&apos; for a command&apos;s options.
Exit codes: 0 success, 1 the operation failed, 2 usage error.
</source>
        <translation>
Lancez &apos;berthctl COMMANDE --help&apos; pour voir les options d&apos;une commande.
Codes de sortie : 0 succès, 1 échec de l&apos;opération, 2 erreur d&apos;utilisation.
</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;</source>
        <translation>commande inconnue &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Output format: &apos;text&apos; (default) or &apos;json&apos;.</source>
        <translation>Format de sortie : &apos;text&apos; (par défaut) ou &apos;json&apos;.</translation>
    </message>
    <message>
        <source>Allow plain HTTP and unverified TLS for this registry (repeatable). localhost and 127.0.0.0/8 are always allowed.</source>
        <translation>Autoriser HTTP en clair et TLS non vérifié pour ce registre (option répétable). localhost et 127.0.0.0/8 sont toujours autorisés.</translation>
    </message>
    <message>
        <source>Docker Hub web API base URL (default: $BERTH_HUB_URL or https://hub.docker.com).</source>
        <translation>URL de base de l&apos;API web de Docker Hub (par défaut : $BERTH_HUB_URL ou https://hub.docker.com).</translation>
    </message>
    <message>
        <source>unknown format &apos;%1&apos;: use &apos;text&apos; or &apos;json&apos;</source>
        <translation>format inconnu &apos;%1&apos; : utilisez &apos;text&apos; ou &apos;json&apos;</translation>
    </message>
    <message>
        <source>invalid --hub-url &apos;%1&apos;: expected an http(s) URL</source>
        <translation>--hub-url &apos;%1&apos; non valide : une URL http(s) est attendue</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message>
        <source>berthctl: %1</source>
        <translation>berthctl : %1</translation>
    </message>
    <message>
        <source>Run &apos;berthctl --help&apos; for usage.</source>
        <translation>Lancez &apos;berthctl --help&apos; pour voir l&apos;utilisation.</translation>
    </message>
    <message>
        <source>Platform:        %1</source>
        <translation>Plateforme :     %1</translation>
    </message>
    <message>
        <source>Manifest:        %1 (%2)</source>
        <translation>Manifeste :      %1 (%2)</translation>
    </message>
    <message>
        <source>Config:          %1</source>
        <translation>Configuration :  %1</translation>
    </message>
    <message>
        <source>Created:         %1</source>
        <translation>Création :       %1</translation>
    </message>
    <message>
        <source>Size:            %1</source>
        <translation>Taille :         %1</translation>
    </message>
    <message>
        <source>Entrypoint:      %1</source>
        <translation>Entrypoint :     %1</translation>
    </message>
    <message>
        <source>Cmd:             %1</source>
        <translation>Cmd :            %1</translation>
    </message>
    <message>
        <source>WorkingDir:      %1</source>
        <translation>WorkingDir :     %1</translation>
    </message>
    <message>
        <source>User:            %1</source>
        <translation>User :           %1</translation>
    </message>
    <message>
        <source>Env:             %1</source>
        <translation>Env :            %1</translation>
    </message>
    <message>
        <source>Label:           %1=%2</source>
        <translation>Label :          %1=%2</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>Couches :</translation>
    </message>
    <message>
        <source>History:</source>
        <translation>Historique :</translation>
    </message>
    <message>
        <source>Show an image in a registry: media type, digest, platforms, layers, configuration and build history.</source>
        <translation>Afficher une image d&apos;un registre : type de média, empreinte, plateformes, couches, configuration et historique de construction.</translation>
    </message>
    <message>
        <source>e.g. node:15, localhost:5000/app@sha256:…</source>
        <translation>par ex. node:15, localhost:5000/app@sha256:…</translation>
    </message>
    <message>
        <source>Platform to show from a multi-platform image (os/arch[/variant]).</source>
        <translation>Plateforme à afficher d&apos;une image multiplateforme (os/arch[/variante]).</translation>
    </message>
    <message>
        <source>Show every platform of a multi-platform image.</source>
        <translation>Afficher toutes les plateformes d&apos;une image multiplateforme.</translation>
    </message>
    <message>
        <source>inspect takes exactly one image reference</source>
        <translation>inspect prend exactement une référence d&apos;image</translation>
    </message>
    <message>
        <source>Name:            %1</source>
        <translation>Nom :            %1</translation>
    </message>
    <message>
        <source>Digest:          %1</source>
        <translation>Empreinte :      %1</translation>
    </message>
    <message>
        <source>MediaType:       %1</source>
        <translation>Type de média :  %1</translation>
    </message>
    <message>
        <source>Manifests:</source>
        <translation>Manifestes :</translation>
    </message>
    <message>
        <source>(no platform)</source>
        <translation>(sans plateforme)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>REGISTRY</source>
        <translation>REGISTRE</translation>
    </message>
    <message>
        <source>USERNAME</source>
        <translation>UTILISATEUR</translation>
    </message>
    <message>
        <source>DOCKER CLI</source>
        <translation>CLI DOCKER</translation>
    </message>
    <message>
        <source>Log in to a registry (Docker Hub by default). The password is checked against the registry, then kept in the system keychain, never in a file.</source>
        <translation>Se connecter à un registre (Docker Hub par défaut). Le mot de passe est vérifié auprès du registre, puis conservé dans le trousseau du système, jamais dans un fichier.</translation>
    </message>
    <message>
        <source>Registry, e.g. docker.io, ghcr.io, localhost:5000.</source>
        <translation>Registre, par ex. docker.io, ghcr.io, localhost:5000.</translation>
    </message>
    <message>
        <source>User name.</source>
        <translation>Nom d&apos;utilisateur.</translation>
    </message>
    <message>
        <source>Read the password or access token from standard input.</source>
        <translation>Lire le mot de passe ou le jeton d&apos;accès sur l&apos;entrée standard.</translation>
    </message>
    <message>
        <source>Refused: a password on the command line is visible to every user. Use --password-stdin.</source>
        <translation>Refusé : un mot de passe passé en ligne de commande est visible par tous les utilisateurs. Utilisez --password-stdin.</translation>
    </message>
    <message>
        <source>Also log the docker CLI in, through its credential helper.</source>
        <translation>Connecter aussi la CLI docker, par l&apos;intermédiaire de son assistant d&apos;identification.</translation>
    </message>
    <message>
        <source>With --docker-cli and no credential helper configured: write the login to ~/.docker/config.json as base64, which anyone reading the file can decode.</source>
        <translation>Avec --docker-cli et sans assistant d&apos;identification configuré : écrire les identifiants dans ~/.docker/config.json en base64, que toute personne lisant le fichier peut décoder.</translation>
    </message>
    <message>
        <source>List the registries Berth has logins for (no secrets).</source>
        <translation>Lister les registres pour lesquels Berth a des identifiants (sans les secrets).</translation>
    </message>
    <message>
        <source>--password is refused: a password in the command line is visible to other users and lands in shell history. Use --password-stdin.</source>
        <translation>--password est refusé : un mot de passe en ligne de commande est visible par les autres utilisateurs et finit dans l&apos;historique du shell. Utilisez --password-stdin.</translation>
    </message>
    <message>
        <source>login takes at most one server</source>
        <translation>login prend au plus un serveur</translation>
    </message>
    <message>
        <source>invalid server &apos;%1&apos;</source>
        <translation>serveur &apos;%1&apos; non valide</translation>
    </message>
    <message>
        <source>--password-stdin needs --username</source>
        <translation>--password-stdin nécessite --username</translation>
    </message>
    <message>
        <source>Username: </source>
        <translation>Nom d&apos;utilisateur : </translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>Mot de passe : </translation>
    </message>
    <message>
        <source>no terminal to ask the password on: use --username and --password-stdin</source>
        <translation>aucun terminal pour demander le mot de passe : utilisez --username et --password-stdin</translation>
    </message>
    <message>
        <source>a user name and a password (or access token) are required</source>
        <translation>un nom d&apos;utilisateur et un mot de passe (ou un jeton d&apos;accès) sont requis</translation>
    </message>
    <message>
        <source>Login Succeeded</source>
        <translation>Connexion réussie</translation>
    </message>
    <message>
        <source>Log out of a registry: forget its login in the keychain, and with --docker-cli in docker&apos;s credential store and config.json too.</source>
        <translation>Se déconnecter d&apos;un registre : oublier ses identifiants dans le trousseau et, avec --docker-cli, aussi dans le magasin d&apos;identifiants de docker et dans config.json.</translation>
    </message>
    <message>
        <source>Registry (default docker.io).</source>
        <translation>Registre (docker.io par défaut).</translation>
    </message>
    <message>
        <source>Also log the docker CLI out.</source>
        <translation>Déconnecter aussi la CLI docker.</translation>
    </message>
    <message>
        <source>logout takes at most one server</source>
        <translation>logout prend au plus un serveur</translation>
    </message>
    <message>
        <source>Removing login credentials for %1</source>
        <translation>Suppression des identifiants de connexion pour %1</translation>
    </message>
    <message>
        <source>Search Docker Hub for images.</source>
        <translation>Rechercher des images sur Docker Hub.</translation>
    </message>
    <message>
        <source>What to search for.</source>
        <translation>Termes à rechercher.</translation>
    </message>
    <message>
        <source>Only Docker Official Images.</source>
        <translation>Uniquement les images officielles Docker (Docker Official Images).</translation>
    </message>
    <message>
        <source>Only Verified Publisher images.</source>
        <translation>Uniquement les images d&apos;éditeurs vérifiés (Verified Publisher).</translation>
    </message>
    <message>
        <source>Only Sponsored Open Source images.</source>
        <translation>Uniquement les images open source sponsorisées (Sponsored OSS).</translation>
    </message>
    <message>
        <source>Sort by &apos;best&apos; (default), &apos;pulls&apos; or &apos;updated&apos;.</source>
        <translation>Trier par &apos;best&apos; (pertinence, par défaut), &apos;pulls&apos; (téléchargements) ou &apos;updated&apos; (mise à jour).</translation>
    </message>
    <message>
        <source>At most N results (default 25, at most 100).</source>
        <translation>Au plus N résultats (25 par défaut, 100 au maximum).</translation>
    </message>
    <message>
        <source>search takes exactly one search term</source>
        <translation>search prend exactement un terme de recherche</translation>
    </message>
    <message>
        <source>unknown --sort &apos;%1&apos;: use best, pulls or updated</source>
        <translation>--sort &apos;%1&apos; inconnu : utilisez best, pulls ou updated</translation>
    </message>
    <message>
        <source>--limit must be a number from 1 to 100</source>
        <translation>--limit doit être un nombre de 1 à 100</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NOM</translation>
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation>DESCRIPTION</translation>
    </message>
    <message>
        <source>STARS</source>
        <translation>ÉTOILES</translation>
    </message>
    <message>
        <source>PULLS</source>
        <translation>TÉLÉCHARGEMENTS</translation>
    </message>
    <message>
        <source>BADGE</source>
        <translation>BADGE</translation>
    </message>
    <message>
        <source>List a repository&apos;s tags, grouped by the image (digest) they share.</source>
        <translation>Lister les tags d&apos;un dépôt, regroupés par image (empreinte) commune.</translation>
    </message>
    <message>
        <source>e.g. node, jean/mon-app, localhost:5000/team/app</source>
        <translation>par ex. node, jean/mon-app, localhost:5000/team/app</translation>
    </message>
    <message>
        <source>On Docker Hub, read tags through the registry API instead of the Hub&apos;s.</source>
        <translation>Sur Docker Hub, lire les tags via l&apos;API du registre plutôt que celle du Hub.</translation>
    </message>
    <message>
        <source>tags takes exactly one repository</source>
        <translation>tags prend exactement un dépôt</translation>
    </message>
    <message>
        <source>DIGEST</source>
        <translation>EMPREINTE</translation>
    </message>
    <message>
        <source>TAGS</source>
        <translation>TAGS</translation>
    </message>
    <message>
        <source>PLATFORMS</source>
        <translation>PLATEFORMES</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>TAILLE</translation>
    </message>
    <message>
        <source>PUSHED</source>
        <translation>PUBLIÉE</translation>
    </message>
    <message>
        <source>Where images live: auto (an engine if one answers, else the embedded store), docker, podman or embedded. Default: $BERTH_BACKEND, else auto.</source>
        <translation>Où sont stockées les images : auto (un moteur s&apos;il y en a un qui répond, sinon le magasin intégré), docker, podman ou embedded. Par défaut : $BERTH_BACKEND, sinon auto.</translation>
    </message>
    <message>
        <source>List local images; tags sharing an image ID are one image.</source>
        <translation>Lister les images locales ; les tags qui partagent un ID d&apos;image forment une seule image.</translation>
    </message>
    <message>
        <source>images takes no arguments</source>
        <translation>images ne prend aucun argument</translation>
    </message>
    <message>
        <source>REPOSITORY</source>
        <translation>DÉPÔT</translation>
    </message>
    <message>
        <source>TAG</source>
        <translation>TAG</translation>
    </message>
    <message>
        <source>IMAGE ID</source>
        <translation>ID D&apos;IMAGE</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>CRÉÉE</translation>
    </message>
    <message>
        <source>Pull an image from a registry. Layers already present are not downloaded again.</source>
        <translation>Télécharger une image depuis un registre. Les couches déjà présentes ne sont pas téléchargées à nouveau.</translation>
    </message>
    <message>
        <source>e.g. node:15, localhost:5000/team/app:1.0</source>
        <translation>par ex. node:15, localhost:5000/team/app:1.0</translation>
    </message>
    <message>
        <source>Platform to pull from a multi-platform image (os/arch[/variant]).</source>
        <translation>Plateforme à télécharger d&apos;une image multiplateforme (os/arch[/variante]).</translation>
    </message>
    <message>
        <source>Pull every platform of a multi-platform image.</source>
        <translation>Télécharger toutes les plateformes d&apos;une image multiplateforme.</translation>
    </message>
    <message>
        <source>pull takes exactly one image</source>
        <translation>pull prend exactement une image</translation>
    </message>
    <message>
        <source>Digest: %1</source>
        <translation>Empreinte : %1</translation>
    </message>
    <message>
        <source>Status: Image is up to date for %1</source>
        <translation>Statut : image à jour pour %1</translation>
    </message>
    <message>
        <source>Status: Downloaded newer image for %1</source>
        <translation>Statut : nouvelle image téléchargée pour %1</translation>
    </message>
    <message>
        <source>Push a local image to its registry. Tag it first to choose the destination (berthctl tag mon-app jean/mon-app:1.0.0).</source>
        <translation>Publier une image locale sur son registre. Taguez-la d&apos;abord pour choisir la destination (berthctl tag mon-app jean/mon-app:1.0.0).</translation>
    </message>
    <message>
        <source>e.g. jean/mon-app:1.0.0</source>
        <translation>par ex. jean/mon-app:1.0.0</translation>
    </message>
    <message>
        <source>push takes exactly one image</source>
        <translation>push prend exactement une image</translation>
    </message>
    <message>
        <source>%1: digest: %2</source>
        <translation>%1 : empreinte : %2</translation>
    </message>
    <message>
        <source>Give a local image another name (repository:tag).</source>
        <translation>Donner un autre nom à une image locale (dépôt:tag).</translation>
    </message>
    <message>
        <source>Image name or ID.</source>
        <translation>Nom ou ID de l&apos;image.</translation>
    </message>
    <message>
        <source>New name, e.g. jean/mon-app:1.0.0</source>
        <translation>Nouveau nom, par ex. jean/mon-app:1.0.0</translation>
    </message>
    <message>
        <source>tag takes a source image and a target name</source>
        <translation>tag prend une image source et un nom cible</translation>
    </message>
    <message>
        <source>Remove local images: untag them, and delete an image when its last tag goes.</source>
        <translation>Supprimer des images locales : retirer leurs tags, et supprimer une image quand son dernier tag disparaît.</translation>
    </message>
    <message>
        <source>Image names or IDs.</source>
        <translation>Noms ou ID des images.</translation>
    </message>
    <message>
        <source>Remove an image ID even when several tags share it.</source>
        <translation>Supprimer un ID d&apos;image même si plusieurs tags le partagent.</translation>
    </message>
    <message>
        <source>rmi takes at least one image</source>
        <translation>rmi prend au moins une image</translation>
    </message>
    <message>
        <source>Untagged: %1</source>
        <translation>Tag retiré : %1</translation>
    </message>
    <message>
        <source>Deleted: %1</source>
        <translation>Supprimée : %1</translation>
    </message>
    <message>
        <source>Remove unused images: untagged ones, or with --all every image (docker system prune -a).</source>
        <translation>Supprimer les images inutilisées : celles sans tag, ou avec --all toutes les images (docker system prune -a).</translation>
    </message>
    <message>
        <source>Remove every image, not only untagged ones.</source>
        <translation>Supprimer toutes les images, pas seulement celles sans tag.</translation>
    </message>
    <message>
        <source>Do not ask for confirmation.</source>
        <translation>Ne pas demander de confirmation.</translation>
    </message>
    <message>
        <source>prune takes no arguments</source>
        <translation>prune ne prend aucun argument</translation>
    </message>
    <message>
        <source>prune asks for confirmation: use --force when there is no terminal</source>
        <translation>prune demande une confirmation : utilisez --force en l&apos;absence de terminal</translation>
    </message>
    <message>
        <source>This will remove all images. Are you sure you want to continue? [y/N] </source>
        <translation>Cela va supprimer toutes les images. Voulez-vous vraiment continuer ? [y/N] </translation>
    </message>
    <message>
        <source>This will remove all dangling images. Are you sure you want to continue? [y/N] </source>
        <translation>Cela va supprimer toutes les images sans tag (dangling). Voulez-vous vraiment continuer ? [y/N] </translation>
    </message>
    <message>
        <source>Deleted Images:</source>
        <translation>Images supprimées :</translation>
    </message>
    <message>
        <source>Total reclaimed space: %1</source>
        <translation>Espace total récupéré : %1</translation>
    </message>
    <message>
        <source>Verify the embedded image store: every blob against its digest, every tag&apos;s manifest, config and layers present.</source>
        <translation>Vérifier le magasin d&apos;images intégré : chaque blob par rapport à son empreinte, et pour chaque tag la présence du manifeste, de la configuration et des couches.</translation>
    </message>
    <message>
        <source>Also remove every leftover temporary file.</source>
        <translation>Supprimer aussi tous les fichiers temporaires restants.</translation>
    </message>
    <message>
        <source>fsck takes no arguments</source>
        <translation>fsck ne prend aucun argument</translation>
    </message>
    <message>
        <source>fsck checks Berth&apos;s embedded store; the %1 engine checks its own storage</source>
        <translation>fsck vérifie le magasin intégré de Berth ; le moteur %1 vérifie son propre stockage</translation>
    </message>
    <message>
        <source>%1 blobs and %2 images checked: %3</source>
        <translation>%1 blobs et %2 images vérifiés : %3</translation>
    </message>
    <message>
        <source>the store is consistent</source>
        <translation>le magasin est cohérent</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problème</numerusform>
            <numerusform>%n problèmes</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Transferring</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Already exists</source>
        <translation>Existe déjà</translation>
    </message>
    <message>
        <source>Mounted</source>
        <translation>Montée depuis un autre dépôt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>total</source>
        <translation>total</translation>
    </message>
</context>
<context>
    <name>Berth::EmbeddedBackend</name>
    <message>
        <source>Embedded store at %1</source>
        <translation>Magasin d&apos;images intégré (%1)</translation>
    </message>
    <message>
        <source>%1 cannot be a tag: give a name with a tag, without a digest.</source>
        <translation>%1 ne peut pas servir de tag : donnez un nom avec un tag, sans empreinte.</translation>
    </message>
    <message>
        <source>Image %1 has several tags; remove them one by one, or force the removal.</source>
        <translation>L&apos;image %1 a plusieurs tags ; supprimez-les un par un, ou forcez la suppression.</translation>
    </message>
    <message>
        <source>%1 is a %2, which Berth cannot pull.</source>
        <translation>%1 est de type %2, que Berth ne sait pas télécharger (pull).</translation>
    </message>
    <message>
        <source>%1 has no image for %2 (it has %3).</source>
        <translation>%1 n&apos;a pas d&apos;image pour %2 (plateformes disponibles : %3).</translation>
    </message>
    <message>
        <source>A platform of %1 is not an image manifest.</source>
        <translation>Une plateforme de %1 n&apos;est pas un manifeste d&apos;image.</translation>
    </message>
    <message>
        <source>Already exists</source>
        <translation>Existe déjà</translation>
    </message>
    <message>
        <source>Pull complete</source>
        <translation>Téléchargement terminé</translation>
    </message>
    <message>
        <source>Parts of %1 were removed from the image store while it was being pulled (a prune elsewhere?); pull it again.</source>
        <translation>Des parties de %1 ont été supprimées du magasin d&apos;images pendant son téléchargement (un prune ailleurs ?) ; téléchargez-la à nouveau.</translation>
    </message>
    <message>
        <source>There is no local image %1; tag an image with that name first.</source>
        <translation>Il n&apos;y a pas d&apos;image locale %1 ; taguez d&apos;abord une image avec ce nom.</translation>
    </message>
    <message>
        <source>The image store lacks blob %1 of %2; run fsck, then pull the image again.</source>
        <translation>Il manque au magasin d&apos;images le blob %1 de %2 ; lancez fsck, puis téléchargez l&apos;image à nouveau.</translation>
    </message>
    <message>
        <source>Pushed</source>
        <translation>Publiée</translation>
    </message>
    <message>
        <source>Mounted from another repository</source>
        <translation>Montée depuis un autre dépôt</translation>
    </message>
    <message>
        <source>Layer already exists</source>
        <translation>La couche existe déjà</translation>
    </message>
    <message>
        <source>The registry stored %1 as %2 instead of %3.</source>
        <translation>Le registre a enregistré %1 sous %2 au lieu de %3.</translation>
    </message>
</context>
<context>
    <name>Berth::EngineBackend</name>
    <message>
        <source>The engine could not pull: %1</source>
        <translation>Le moteur n&apos;a pas pu télécharger l&apos;image : %1</translation>
    </message>
    <message>
        <source>The engine could not push: %1</source>
        <translation>Le moteur n&apos;a pas pu publier l&apos;image : %1</translation>
    </message>
    <message>
        <source>Podman</source>
        <translation>Podman</translation>
    </message>
    <message>
        <source>Docker Engine</source>
        <translation>Docker</translation>
    </message>
    <message>
        <source>Docker or Podman engine</source>
        <translation>Docker ou Podman</translation>
    </message>
    <message>
        <source>No %1 found: no DOCKER_HOST, docker context or default socket.</source>
        <translation>Aucun moteur %1 trouvé : ni DOCKER_HOST, ni contexte docker, ni socket par défaut.</translation>
    </message>
    <message>
        <source>No %1 found. Tried: %2</source>
        <translation>Aucun moteur %1 trouvé. Essayés : %2</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2) : %3</translation>
    </message>
    <message>
        <source>%1 (%2): a %3 engine</source>
        <translation>%1 (%2) : un moteur %3</translation>
    </message>
    <message>
        <source>Docker</source>
        <translation>Docker</translation>
    </message>
    <message>
        <source>Podman %1 (%2)</source>
        <translation>Podman %1 (%2)</translation>
    </message>
    <message>
        <source>Docker Engine %1 (%2)</source>
        <translation>Docker Engine %1 (%2)</translation>
    </message>
    <message>
        <source>The engine sent an unreadable image description.</source>
        <translation>Le moteur a envoyé une description d&apos;image illisible.</translation>
    </message>
    <message>
        <source>A container engine keeps one platform of an image: pull all platforms into the embedded store instead.</source>
        <translation>Un moteur de conteneurs ne garde qu&apos;une plateforme d&apos;une image : téléchargez plutôt toutes les plateformes dans le magasin intégré.</translation>
    </message>
    <message>
        <source>Image is up to date: nothing downloaded.</source>
        <translation>L&apos;image est à jour : rien n&apos;a été téléchargé.</translation>
    </message>
    <message numerus="yes">
        <source>Pulled %n layer(s).</source>
        <translation>
            <numerusform>%n couche téléchargée.</numerusform>
            <numerusform>%n couches téléchargées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Push needs a tag: %1 names an image by digest only.</source>
        <translation>La publication (push) exige un tag : %1 désigne une image uniquement par son empreinte.</translation>
    </message>
    <message>
        <source>The engine finished pushing %1 without saying which digest the registry stored.</source>
        <translation>Le moteur a fini de publier %1 sans indiquer quelle empreinte le registre a enregistrée.</translation>
    </message>
    <message>
        <source>Pushed %1</source>
        <translation>Image publiée : %1</translation>
    </message>
    <message>
        <source>A tag target needs a tag, not a digest: %1</source>
        <translation>La cible d&apos;un tag doit être un tag, pas une empreinte : %1</translation>
    </message>
</context>
<context>
    <name>Berth::EngineClient</name>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>Could not write what the engine sent.</source>
        <translation>Impossible d&apos;écrire ce que le moteur a envoyé.</translation>
    </message>
    <message>
        <source>The engine at %1 sent a progress line too long to be one.</source>
        <translation>Le moteur %1 a envoyé une ligne de progression trop longue pour en être une.</translation>
    </message>
    <message>
        <source>Cannot talk to the container engine at %1: %2</source>
        <translation>Impossible de communiquer avec le moteur de conteneurs %1 : %2</translation>
    </message>
    <message>
        <source>%1 does not answer like a Docker Engine API.</source>
        <translation>%1 ne répond pas comme une API Docker Engine.</translation>
    </message>
    <message>
        <source>The engine address %1 is not a unix socket (unix:///path): Berth talks only to a local Docker or Podman engine.</source>
        <translation>L&apos;adresse du moteur %1 n&apos;est pas un socket unix (unix:///chemin) : Berth ne communique qu&apos;avec un moteur Docker ou Podman local.</translation>
    </message>
    <message>
        <source>docker context &quot;%1&quot;</source>
        <translation>contexte docker &quot;%1&quot;</translation>
    </message>
    <message>
        <source>The current docker context &quot;%1&quot; is not defined in %2.</source>
        <translation>Le contexte docker actuel &quot;%1&quot; n&apos;est pas défini dans %2.</translation>
    </message>
    <message>
        <source>default Docker socket</source>
        <translation>socket Docker par défaut</translation>
    </message>
    <message>
        <source>Podman user socket</source>
        <translation>socket Podman utilisateur</translation>
    </message>
    <message>
        <source>Podman system socket</source>
        <translation>socket Podman système</translation>
    </message>
    <message>
        <source>The container engine answered HTTP %1.</source>
        <translation>Le moteur de conteneurs a répondu HTTP %1.</translation>
    </message>
    <message>
        <source>The container engine refused: %1</source>
        <translation>Le moteur de conteneurs a refusé : %1</translation>
    </message>
</context>
<context>
    <name>Berth::HubClient</name>
    <message>
        <source>no network access for Docker Hub</source>
        <translation>pas d&apos;accès réseau pour Docker Hub</translation>
    </message>
    <message>
        <source>the answer is larger than %1 MiB</source>
        <translation>la réponse dépasse %1 Mio</translation>
    </message>
    <message>
        <source>secure connection to Docker Hub at %1 failed: %2</source>
        <translation>la connexion sécurisée à Docker Hub (%1) a échoué : %2</translation>
    </message>
    <message>
        <source>Docker Hub at %1 did not answer within %2 seconds</source>
        <translation>Docker Hub (%1) n&apos;a pas répondu en %2 secondes</translation>
    </message>
    <message>
        <source>could not reach Docker Hub at %1: %2</source>
        <translation>impossible de joindre Docker Hub (%1) : %2</translation>
    </message>
    <message numerus="yes">
        <source>Docker Hub rate limit reached; try again in %n seconds</source>
        <translation>
            <numerusform>limite de requêtes de Docker Hub atteinte ; réessayez dans %n seconde</numerusform>
            <numerusform>limite de requêtes de Docker Hub atteinte ; réessayez dans %n secondes</numerusform>
        </translation>
    </message>
    <message>
        <source>Docker Hub rate limit reached; try again later</source>
        <translation>limite de requêtes de Docker Hub atteinte ; réessayez plus tard</translation>
    </message>
    <message>
        <source>Docker Hub failed to answer %1 (HTTP %2); try again later</source>
        <translation>Docker Hub n&apos;a pas pu répondre à %1 (HTTP %2) ; réessayez plus tard</translation>
    </message>
    <message>
        <source>Docker Hub refused %1 (HTTP %2)</source>
        <translation>Docker Hub a refusé %1 (HTTP %2)</translation>
    </message>
    <message>
        <source>Docker Hub search shows at most the first %1 results</source>
        <translation>la recherche Docker Hub n&apos;affiche que les %1 premiers résultats</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid Docker Hub repository name</source>
        <translation>&apos;%1&apos; n&apos;est pas un nom de dépôt Docker Hub valide</translation>
    </message>
    <message>
        <source>repository &apos;%1&apos; was not found on Docker Hub</source>
        <translation>dépôt &apos;%1&apos; introuvable sur Docker Hub</translation>
    </message>
</context>
<context>
    <name>Berth::ImageBackend</name>
    <message>
        <source>This backend has no containers.</source>
        <translation>Ce backend ne gère pas de conteneurs.</translation>
    </message>
</context>
<context>
    <name>Berth::MainWindow</name>
    <message>
        <source>Berth</source>
        <translation>Berth</translation>
    </message>
    <message>
        <source>Find, inspect and share container images.</source>
        <translation>Trouver, inspecter et partager des images de conteneurs.</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
</context>
<context>
    <name>Berth::RegistryClient</name>
    <message>
        <source>the registry API</source>
        <translation>l&apos;API du registre</translation>
    </message>
    <message>
        <source>%1 refused the user name or password. Check them, or use an access token if the account requires one.</source>
        <translation>%1 a refusé le nom d&apos;utilisateur ou le mot de passe. Vérifiez-les, ou utilisez un jeton d&apos;accès si le compte l&apos;exige.</translation>
    </message>
    <message>
        <source>%1 is a Docker schema 1 manifest, which is deprecated and not supported.</source>
        <translation>%1 est un manifeste Docker schéma 1, obsolète et non pris en charge.</translation>
    </message>
    <message>
        <source>Only sha256 digests can be verified; %1 cannot.</source>
        <translation>Seules les empreintes sha256 peuvent être vérifiées ; %1 ne peut pas l&apos;être.</translation>
    </message>
    <message>
        <source>%1 is larger than the %2 bytes its descriptor declares.</source>
        <translation>%1 dépasse les %2 octets déclarés par son descripteur.</translation>
    </message>
    <message>
        <source>%1 has %2 bytes where its descriptor declares %3.</source>
        <translation>%1 fait %2 octets alors que son descripteur en déclare %3.</translation>
    </message>
    <message>
        <source>an upload to %1</source>
        <translation>un envoi vers %1</translation>
    </message>
    <message>
        <source>%1 started an upload without saying where to send it.</source>
        <translation>%1 a démarré un envoi sans indiquer où envoyer les données.</translation>
    </message>
    <message>
        <source>Could not open the data to upload.</source>
        <translation>Impossible d&apos;ouvrir les données à envoyer.</translation>
    </message>
    <message>
        <source>The data to upload ended after %1 of %2 bytes.</source>
        <translation>Les données à envoyer se sont interrompues après %1 octets sur %2.</translation>
    </message>
    <message>
        <source>the tags of %1</source>
        <translation>les tags de %1</translation>
    </message>
    <message>
        <source>the catalog of %1</source>
        <translation>le catalogue de %1</translation>
    </message>
    <message>
        <source>The registry sent an invalid list for %1: %2</source>
        <translation>Le registre a envoyé une liste non valide pour %1 : %2</translation>
    </message>
    <message>
        <source>%1 answered a resume with the wrong range (%2).</source>
        <translation>La reprise du téléchargement a reçu une plage incorrecte (%2) pour %1.</translation>
    </message>
</context>
<context>
    <name>Berth::RegistryTransport</name>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>%1 asked for a token from an invalid address: &apos;%2&apos;.</source>
        <translation>%1 a demandé un jeton auprès d&apos;une adresse non valide : &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>%1 asked to send your credentials over plain HTTP to %2; Berth refused. Mark the registry insecure in the settings if you trust this network.</source>
        <translation>%1 a demandé d&apos;envoyer vos identifiants en HTTP non chiffré à %2 ; Berth a refusé. Marquez le registre comme non sécurisé dans les paramètres si vous faites confiance à ce réseau.</translation>
    </message>
    <message>
        <source>No network.</source>
        <translation>Pas de réseau.</translation>
    </message>
    <message>
        <source>%1 refused the user name or password. Check them, or use an access token if the account requires one.</source>
        <translation>%1 a refusé le nom d&apos;utilisateur ou le mot de passe. Vérifiez-les, ou utilisez un jeton d&apos;accès si le compte l&apos;exige.</translation>
    </message>
    <message>
        <source>%1 refused anonymous access; log in first.</source>
        <translation>%1 a refusé l&apos;accès anonyme ; connectez-vous d&apos;abord.</translation>
    </message>
    <message>
        <source>a token</source>
        <translation>un jeton</translation>
    </message>
    <message>
        <source>The token service of %1 answered without a token.</source>
        <translation>Le service de jetons de %1 a répondu sans jeton.</translation>
    </message>
    <message>
        <source>Could not open the data to upload.</source>
        <translation>Impossible d&apos;ouvrir les données à envoyer.</translation>
    </message>
    <message>
        <source>The answer for %1 is larger than the %2 bytes allowed.</source>
        <translation>La réponse pour %1 dépasse les %2 octets autorisés.</translation>
    </message>
    <message>
        <source>%1 answered the request for %2 with a redirect Berth cannot follow.</source>
        <translation>%1 a répondu à la requête portant sur %2 par une redirection que Berth ne peut pas suivre.</translation>
    </message>
    <message>
        <source>%1 redirected %2 from HTTPS to plain HTTP; Berth refused.</source>
        <translation>%1 a redirigé la requête portant sur %2 de HTTPS vers HTTP non chiffré ; Berth a refusé.</translation>
    </message>
    <message numerus="yes">
        <source>%1 is rate limiting requests; try again in %n second(s).</source>
        <translation>
            <numerusform>%1 limite le nombre de requêtes ; réessayez dans %n seconde.</numerusform>
            <numerusform>%1 limite le nombre de requêtes ; réessayez dans %n secondes.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 refused access to %2 with the stored login: the repository does not exist or the account may not use it.</source>
        <translation>%1 a refusé la requête portant sur %2 avec les identifiants enregistrés : le dépôt n&apos;existe pas ou ce compte n&apos;y a pas accès.</translation>
    </message>
    <message>
        <source>Access to %1 was refused: the repository does not exist or needs a login (berthctl login %2).</source>
        <translation>Accès refusé pour %1 : le dépôt n&apos;existe pas ou exige une connexion (berthctl login %2).</translation>
    </message>
    <message>
        <source>%1 sent Berth to &apos;%2&apos; for %3, which is not HTTPS; Berth refused.</source>
        <translation>%1 a envoyé Berth vers &apos;%2&apos; pour %3, une adresse qui n&apos;est pas en HTTPS ; Berth a refusé.</translation>
    </message>
</context>
<context>
    <name>QCommandLineParser</name>
    <message>
        <source>Displays help on commandline options.</source>
        <translation>Afficher l&apos;aide sur les options de la ligne de commande.</translation>
    </message>
    <message>
        <source>Displays help including Qt specific options.</source>
        <translation>Afficher l&apos;aide, y compris les options propres à Qt.</translation>
    </message>
</context>
</TS>
