package io.kinline.tests.threeway;

import java.util.List;
import java.util.Map;

/**
 * What the synthetic voices say: everyday family-call sentences per language. The development split
 * speaks the first half of each list, the held-out split the second half, so no sentence is shared.
 */
final class Texts {

    private Texts() {
    }

    static final Map<String, List<String>> BY_LANGUAGE = Map.of(
            "en", List.of(
                    "Hey, it's me. How are you doing today?",
                    "Did you get the letter I sent last week?",
                    "Tell the kids I love them and I miss them a lot.",
                    "The lawyer said the hearing got moved to next month.",
                    "I'm okay, the food is the same as always.",
                    "Can you put a little money on my account when you get paid?",
                    "How is grandma doing, is she out of the hospital yet?",
                    "I started working in the kitchen, it keeps me busy.",
                    "Yeah, yeah, I know. I'm trying, I really am.",
                    "Did Marcus ever call you back about the car?",
                    "It's raining here again, we couldn't go outside all week.",
                    "Tell your sister I said happy birthday.",
                    "Wait, say that again, I couldn't hear you.",
                    "I have a visit scheduled for the second Saturday.",
                    "No, I didn't get the pictures, can you send them again?",
                    "Alright, I only have a few minutes left, I love you."),
            "es", List.of(
                    "Hola mamá, soy yo. ¿Cómo estás?",
                    "¿Recibiste la carta que te mandé la semana pasada?",
                    "Dile a los niños que los quiero mucho.",
                    "El abogado dijo que la audiencia es el mes que viene.",
                    "Estoy bien, no te preocupes por mí.",
                    "¿Me puedes poner dinero en la cuenta cuando te paguen?",
                    "¿Cómo sigue la abuela? ¿Ya salió del hospital?",
                    "Empecé a trabajar en la cocina y me mantiene ocupado.",
                    "Sí, sí, ya sé. Estoy tratando, de verdad.",
                    "¿Te llamó tu hermano por lo del carro?",
                    "Aquí sigue lloviendo, no pudimos salir en toda la semana.",
                    "Dile a tu hermana que feliz cumpleaños de mi parte.",
                    "Espera, repítelo, no te escuché bien.",
                    "Tengo una visita el segundo sábado del mes.",
                    "No me llegaron las fotos, ¿me las mandas otra vez?",
                    "Bueno, me quedan pocos minutos, te quiero mucho."),
            "fr", List.of(
                    "Salut, c'est moi. Comment ça va aujourd'hui?",
                    "Tu as reçu ma lettre de la semaine dernière?",
                    "Dis aux enfants que je les aime.",
                    "L'avocat a dit que l'audience est reportée.",
                    "Ça va, la nourriture est toujours pareille.",
                    "Est-ce que tu peux mettre un peu d'argent sur mon compte?",
                    "Comment va grand-mère, elle est sortie de l'hôpital?",
                    "Attends, répète, je ne t'ai pas entendu."),
            "de", List.of(
                    "Hallo, ich bin es. Wie geht es dir heute?",
                    "Hast du meinen Brief von letzter Woche bekommen?",
                    "Sag den Kindern, dass ich sie liebe.",
                    "Der Anwalt sagt, die Verhandlung ist nächsten Monat.",
                    "Mir geht es gut, das Essen ist wie immer.",
                    "Kannst du etwas Geld auf mein Konto einzahlen?",
                    "Wie geht es Oma, ist sie schon aus dem Krankenhaus?",
                    "Warte, sag das noch einmal, ich habe dich nicht verstanden."),
            "pt", List.of(
                    "Oi, sou eu. Como você está hoje?",
                    "Você recebeu a carta que eu mandei?",
                    "Diga às crianças que eu as amo muito.",
                    "O advogado disse que a audiência foi adiada.",
                    "Estou bem, a comida é sempre a mesma.",
                    "Você pode colocar dinheiro na minha conta?",
                    "Como está a vovó, já saiu do hospital?",
                    "Espera, repete, eu não ouvi direito."),
            "it", List.of(
                    "Ciao, sono io. Come stai oggi?",
                    "Hai ricevuto la lettera della settimana scorsa?",
                    "Di' ai bambini che voglio loro bene.",
                    "L'avvocato ha detto che l'udienza è rinviata.",
                    "Sto bene, il cibo è sempre lo stesso.",
                    "Puoi mettere un po' di soldi sul mio conto?",
                    "Come sta la nonna, è uscita dall'ospedale?",
                    "Aspetta, ripeti, non ho sentito bene."),
            "nl", List.of(
                    "Hoi, ik ben het. Hoe gaat het vandaag?",
                    "Heb je mijn brief van vorige week gekregen?",
                    "Zeg tegen de kinderen dat ik van ze hou.",
                    "De advocaat zei dat de zitting is uitgesteld.",
                    "Het gaat goed, het eten is zoals altijd.",
                    "Kun je wat geld op mijn rekening zetten?",
                    "Hoe gaat het met oma, is ze al thuis?",
                    "Wacht, zeg dat nog eens, ik hoorde je niet."),
            "pl", List.of(
                    "Cześć, to ja. Jak się dzisiaj czujesz?",
                    "Dostałaś mój list z zeszłego tygodnia?",
                    "Powiedz dzieciom, że je kocham.",
                    "Adwokat powiedział, że rozprawa jest przełożona.",
                    "Wszystko dobrze, jedzenie jest jak zawsze.",
                    "Możesz wpłacić trochę pieniędzy na moje konto?",
                    "Jak się czuje babcia, wyszła już ze szpitala?",
                    "Czekaj, powtórz, nie usłyszałem."));

    /** The sentences of one split: the first half of each list for dev, the second half for held-out. */
    static List<String> of(String language, boolean heldOut) {
        List<String> all = BY_LANGUAGE.get(language);
        int half = all.size() / 2;
        return heldOut ? all.subList(half, all.size()) : all.subList(0, half);
    }
}
